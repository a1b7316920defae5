using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Infrastructure.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// The scheduler (<c>Jobs:PollSeconds</c>, <c>Jobs:LeaseSeconds</c>), its lease store and the claims
    /// prune. Each feature registers its own jobs as <see cref="IScheduledJob"/>. Bad settings stop the
    /// app at start-up with the key to fix.
    /// </summary>
    public static IServiceCollection AddScheduledJobs(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>>(new ProblemCheck(o => o.Problem()));
        services.AddSingleton<JobLeaseStore>();
        services.AddSingleton<ClaimsPruneJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<ClaimsPruneJob>());
        return services.AddHostedService<JobScheduler>();
    }

    private sealed class ProblemCheck(Func<JobsOptions, string?> problem) : IValidateOptions<JobsOptions>
    {
        public ValidateOptionsResult Validate(string? name, JobsOptions options) =>
            problem(options) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
    }
}
