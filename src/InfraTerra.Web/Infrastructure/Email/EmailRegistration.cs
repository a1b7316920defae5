using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Infrastructure.Email;

public static class EmailRegistration
{
    /// <summary>The outbox sender and its scheduled job (<c>outbox</c>), off while e-mail is off.</summary>
    public static IServiceCollection AddEmailOutbox(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        return services
            .AddSingleton<OutboxSender>()
            .AddSingleton<IScheduledJob, OutboxJob>();
    }
}
