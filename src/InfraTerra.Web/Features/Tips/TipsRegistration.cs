namespace InfraTerra.Web.Features.Tips;

public static class TipsRegistration
{
    /// <summary>The tip store, which alone seals and stores tips, and the intake that inspects their files.</summary>
    public static IServiceCollection AddTips(this IServiceCollection services) => services
        .AddScoped<AttachmentIntake>()
        .AddScoped<TipStore>()
        .AddSingleton<TipWriter>()
        .AddHostedService(sp => sp.GetRequiredService<TipWriter>())
        .AddScoped<TipNotices>()
        .AddScoped<InfraTerra.Web.Infrastructure.ISampleTipGenerator, SampleTipGenerator>()
        .AddScoped<Triage.Tips.TipDecisions>()
        .AddScoped<Triage.Clusters.SimilarTips>();
}
