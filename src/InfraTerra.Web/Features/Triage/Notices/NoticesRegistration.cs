namespace InfraTerra.Web.Features.Triage.Notices;

public static class NoticesRegistration
{
    /// <summary>Notice management: the status and publication changes with their cascade to tips.</summary>
    public static IServiceCollection AddNoticeManagement(this IServiceCollection services) =>
        services.AddScoped<NoticeStatusChanges>();
}
