using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Jobs;

namespace InfraTerra.Web.Features.Triage.Notifications;

public static class NotificationsRegistration
{
    /// <summary>The producers' notifier, the header count, and the deadline reminders with their scheduled job (<c>deadline-reminders</c>).</summary>
    public static IServiceCollection AddOfficerNotifications(this IServiceCollection services)
    {
        services.AddOptions<DeadlineOptions>().BindConfiguration("Deadlines");
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
            .Validate(o => o.DeadlineScanMinutes is >= 1 and <= 1440, "Notifications:DeadlineScanMinutes must be between 1 and 1440.")
            .ValidateOnStart();
        services.AddOptions<DeadlineReminderJobOptions>().BindConfiguration("Jobs");
        services.AddSingleton<DeadlineReminderJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<DeadlineReminderJob>());
        return services
            .AddScoped<OfficerNotifier>()
            .AddScoped<DeadlineReminders>()
            .AddScoped<UnreadNotifications>();
    }
}
