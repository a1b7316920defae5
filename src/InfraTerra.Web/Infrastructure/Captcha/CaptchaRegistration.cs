using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.SharedState;

namespace InfraTerra.Web.Infrastructure.Captcha;

public static class CaptchaRegistration
{
    /// <summary>The anti-spam check behind <c>Captcha:Provider</c> (ADR 0003), and the question that is always the way in without JavaScript.</summary>
    public static IServiceCollection AddHumanCheck(this IServiceCollection services, IConfiguration configuration, DevRelaxations relaxations)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(sp => CaptchaSettings.From(sp.GetRequiredService<IConfiguration>(), relaxations));
        // One claim per solved check, shared by the nodes: in Redis when there is one, else in the database.
        if (SharedStateRegistration.HasRedis(configuration))
        {
            services.AddSingleton<ICheckClaims, RedisCheckClaims>();
        }
        else
        {
            services.AddSingleton<ICheckClaims, DatabaseCheckClaims>();
        }

        services.AddSingleton(sp => new OneTimeUse(sp.GetRequiredService<TipKeys>(), sp.GetRequiredService<ICheckClaims>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ServerQuestion>();
        services.AddSingleton<ProofOfWork>();
        services.AddHttpClient<ReCaptcha>(c => c.Timeout = TimeSpan.FromSeconds(10));
        return services.AddScoped<HumanCheck>();
    }
}
