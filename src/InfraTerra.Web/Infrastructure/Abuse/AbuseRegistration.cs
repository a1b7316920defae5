namespace InfraTerra.Web.Infrastructure.Abuse;

public static class AbuseRegistration
{
    /// <summary>Per-client budgets and guards, kept in this node's memory under keyed hashes of addresses.</summary>
    public static IServiceCollection AddAbuseLimits(this IServiceCollection services) => services
        .AddSingleton<ClientKeys>()
        .AddSingleton<FollowUpGuard>()
        .AddSingleton<SignInGuard>()
        .AddSingleton<SubmissionLimits>()
        .AddSingleton(_ => new ClientDecodeTurns());
}
