namespace InfraTerra.Web.Features.Triage.Notices;

public static class NoticesRegistration
{
    /// <summary>Notice management: the status and publication changes with their cascade to tips, and its sweep.</summary>
    public static IServiceCollection AddNoticeManagement(this IServiceCollection services)
    {
        services.AddOptions<ClosedNoticeSweepOptions>().BindConfiguration("Jobs")
            .Validate(o => o.ClosedNoticeSweepMinutes is >= 60 and <= 1440, "Jobs:ClosedNoticeSweepMinutes must be between 60 and 1440: a shorter period would date a tip's arrival more precisely than to the hour.")
            .ValidateOnStart();
        return services.AddScoped<NoticeStatusChanges>().AddHostedService<ClosedNoticeSweepService>();
    }
}
