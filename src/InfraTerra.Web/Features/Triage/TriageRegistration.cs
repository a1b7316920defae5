using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage;

public static class TriageRegistration
{
    /// <summary>
    /// The deadline targets (<c>Deadlines</c>), the daily score refresh (<c>Jobs</c>) and the
    /// <c>rescore-tips</c> command. Bad settings stop the app at start-up with the key to fix.
    /// </summary>
    public static IServiceCollection AddTriageScores(this IServiceCollection services)
    {
        services.AddOptions<DeadlineOptions>().BindConfiguration("Deadlines").ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeadlineOptions>>(new ProblemCheck<DeadlineOptions>(o => o.Problem()));
        services.AddOptions<ScoreRefreshOptions>().BindConfiguration("Jobs").ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScoreRefreshOptions>>(new ProblemCheck<ScoreRefreshOptions>(o => o.Problem()));
        services.AddSingleton<ScoreRefreshJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<ScoreRefreshJob>());
        services.AddSingleton(new OperatorCommands.FeatureCommand("rescore-tips", RescoreAllAsync));
        return services;
    }

    /// <summary>After an upgrade that changed the rules: every tip's score, recomputed; only changed rows are written.</summary>
    private static async Task<int> RescoreAllAsync(IServiceProvider services, OperatorCommands.CommandArguments args, TextWriter output)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var changed = await TipScores.RecomputeAsync(db, db.Tips, now, CancellationToken.None);
        await output.WriteLineAsync($"Rescored every tip in {started.Elapsed.TotalSeconds:0.0} s: {changed} score(s) changed.");
        return 0;
    }

    private sealed class ProblemCheck<T>(Func<T, string?> problem) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problem(options) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
    }
}
