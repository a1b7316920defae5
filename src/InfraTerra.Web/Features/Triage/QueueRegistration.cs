using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Features.Triage;

public static class QueueRegistration
{
    /// <summary>The deadline targets the queue flags and filters by (the <c>Deadlines</c> section).</summary>
    public static IServiceCollection AddTriageQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DeadlineOptions>(configuration.GetSection("Deadlines"));
        return services;
    }
}
