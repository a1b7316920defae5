namespace InfraTerra.Web.Infrastructure.Captcha;

public static class CaptchaRegistration
{
    /// <summary>The anti-spam check behind <c>Captcha:Provider</c> (ADR 0003), and the question that is always the way in without JavaScript.</summary>
    public static IServiceCollection AddHumanCheck(this IServiceCollection services, DevRelaxations relaxations)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(sp => CaptchaSettings.From(sp.GetRequiredService<IConfiguration>(), relaxations));
        services.AddSingleton<ServerQuestion>();
        services.AddSingleton<ProofOfWork>();
        services.AddHttpClient<ReCaptcha>(c => c.Timeout = TimeSpan.FromSeconds(10));
        return services.AddScoped<HumanCheck>();
    }
}
