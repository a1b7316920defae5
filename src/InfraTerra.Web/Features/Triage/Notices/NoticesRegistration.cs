using InfraTerra.Web.Infrastructure.Jobs;

namespace InfraTerra.Web.Features.Triage.Notices;

public static class NoticesRegistration
{
    /// <summary>Notice management: the status and publication changes with their cascade to tips, and its sweep (the <c>closed-notice-sweep</c> job).</summary>
    public static IServiceCollection AddNoticeManagement(this IServiceCollection services)
    {
        services.AddOptions<ClosedNoticeSweepOptions>().BindConfiguration("Jobs")
            .Validate(o => o.ClosedNoticeSweepMinutes is >= 60 and <= 1440, "Jobs:ClosedNoticeSweepMinutes must be between 60 and 1440: a shorter period would date a tip's arrival more precisely than to the hour.")
            .ValidateOnStart();
        services.AddSingleton<ClosedNoticeSweepJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<ClosedNoticeSweepJob>());
        return services.AddScoped<NoticeStatusChanges>();
    }
}
