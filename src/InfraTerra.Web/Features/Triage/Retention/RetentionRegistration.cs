using System.Globalization;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Retention;

public static class RetentionRegistration
{
    /// <summary>
    /// The periods (<c>Retention</c>), the daily run (<c>Jobs:Retention*</c>) and the <c>purge-expired</c>
    /// command. Bad settings stop the app at start-up with the key to fix.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>>(new ProblemCheck<RetentionOptions>(o => o.Problem()));
        services.AddOptions<RetentionJobOptions>().BindConfiguration("Jobs").ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionJobOptions>>(new ProblemCheck<RetentionJobOptions>(o => o.Problem()));
        services.AddScoped<RetentionPurge>();
        services.AddScoped<RetentionWarnings>();
        services.AddSingleton<RetentionJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<RetentionJob>());
        services.AddSingleton(new OperatorCommands.FeatureCommand("purge-expired", PurgeExpiredAsync));
        return services;
    }

    /// <summary>
    /// <c>purge-expired [--dry-run] [--max-batches N]</c>: deletes the expired tips now (or, with
    /// <c>--dry-run</c>, counts them and changes nothing), printing how many per status.
    /// </summary>
    private static async Task<int> PurgeExpiredAsync(IServiceProvider services, OperatorCommands.CommandArguments args, TextWriter output)
    {
        var dryRun = args.Flag("--dry-run");
        int? maxBatches = args.Optional("--max-batches") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n
                : throw new OperatorCommands.CommandException("--max-batches must be a whole number from 1.")
            : null;
        var periods = services.GetRequiredService<IOptions<RetentionOptions>>().Value.Periods;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await services.GetRequiredService<RetentionPurge>().RunAsync(AuditActor.CommandLine, dryRun, CancellationToken.None, maxBatches);

        await output.WriteLineAsync(dryRun ? "Dry run: nothing was deleted. Expired tips now:" : "Deleted:");
        foreach (var (status, count) in result.Deleted)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {StatusRules.Label(status),-15} {count,9}  (after {periods.DaysFor(status)} days)"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"Total",-15} {result.Total,9}"));
        if (!dryRun)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{result.Batches} batch(es) in {started.Elapsed.TotalSeconds:0.0} s{(result.Finished ? "" : "; stopped at --max-batches, run again to continue")}."));
            if (result.WalTruncated == false)
            {
                await output.WriteLineAsync("warning: the SQLite WAL could not be truncated (a reader was active): run the command again when the app is quiet.");
            }
        }

        return 0;
    }

    private sealed class ProblemCheck<T>(Func<T, string?> problem) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problem(options) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
    }
}
