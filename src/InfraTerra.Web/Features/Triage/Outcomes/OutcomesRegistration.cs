using InfraTerra.Web.Features.Triage.Dashboard;

namespace InfraTerra.Web.Features.Triage.Outcomes;

public static class OutcomesRegistration
{
    /// <summary>Outcomes recorded on tips and clusters, and the Supervisors' dashboard that counts them.</summary>
    public static IServiceCollection AddOutcomesAndDashboard(this IServiceCollection services) =>
        services
            .AddScoped<OutcomeRecorder>()
            .AddScoped<DashboardFigures>();
}
