using System.Threading.RateLimiting;
using InfraTerra.Web.Infrastructure.SharedState;
using RedisRateLimiting;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// How many tips one client may send per hour. Checked inside the form handler rather than by
/// middleware, so a refused tipster gets the form back with everything they typed. Tips sent
/// through the no-script question while a widget was offered cost more of the same budget
/// (<c>RateLimits:TipSubmissionsPerHourWithoutScript</c>), since that question is the easier one for a bot.
/// Follow-up replies (which may carry files) have their own hourly budget, <c>RateLimits:FollowUpRepliesPerHour</c>.
/// The question can be answered by a machine and a bot can change addresses, so tips sent through
/// it also share one ceiling for all clients together, <c>RateLimits:QuestionTipsPerHourGlobal</c>.
/// Widget answers that pass every cheap check and would reach the costly one (a key derivation, a
/// call to Google) have their own hourly budget, <c>RateLimits:ProofChecksPerHour</c>, spent whether
/// the answer then turns out right or wrong: a wrong answer is otherwise free for its sender.
/// <para>
/// With Redis every budget is one fixed hourly window shared by all the nodes (RedisRateLimiting's
/// partitions, keys under the app's prefix holding only client hashes); without it each node counts
/// its own, so N nodes give a client N times the budget (README, "Shared state").
/// </para>
/// </summary>
public sealed class SubmissionLimits : IDisposable
{
    public const int DefaultQuestionTipsPerHourGlobal = 60;

    /// <summary>Twice the default tip budget: a tipster whose widget failed once can still send every tip they may.</summary>
    public const int DefaultProofChecksPerHour = 60;

    private const string Everyone = "all";

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly PartitionedRateLimiter<string> _replies;
    private readonly PartitionedRateLimiter<string> _questionTips;
    private readonly PartitionedRateLimiter<string> _proofChecks;

    public SubmissionLimits(IConfiguration configuration, SharedRedis? redis = null)
    {
        PerHour = Math.Max(1, configuration.GetValue("RateLimits:TipSubmissionsPerHour", 30));
        var withoutScript = Math.Clamp(configuration.GetValue("RateLimits:TipSubmissionsPerHourWithoutScript", 10), 1, PerHour);
        QuestionCost = PerHour / withoutScript;
        _limiter = Hourly(redis, "tips", PerHour);
        _replies = Hourly(redis, "replies", Math.Max(1, configuration.GetValue("RateLimits:FollowUpRepliesPerHour", 30)));
        _questionTips = Hourly(redis, "question-tips", Math.Max(1, configuration.GetValue("RateLimits:QuestionTipsPerHourGlobal", DefaultQuestionTipsPerHourGlobal)));
        _proofChecks = Hourly(redis, "proof-checks", Math.Max(1, configuration.GetValue("RateLimits:ProofChecksPerHour", DefaultProofChecksPerHour)));
    }

    public int PerHour { get; }

    public int QuestionCost { get; }

    public async Task<bool> TryAcquireAsync(string clientKey, bool throughQuestion, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(clientKey, throughQuestion ? QuestionCost : 1, cancellationToken);
        return lease.IsAcquired;
    }

    /// <summary>One of the hourly tips all clients together may send through the question; when none is left, how long until the next.</summary>
    public async Task<(bool Acquired, TimeSpan RetryAfter)> TryAcquireQuestionTipAsync(CancellationToken cancellationToken)
    {
        using var lease = await _questionTips.AcquireAsync(Everyone, 1, cancellationToken);
        return (lease.IsAcquired, RetryAfter(lease));
    }

    /// <summary>One costly check of a widget's answer (see the class summary).</summary>
    public async Task<bool> TryAcquireProofCheckAsync(string clientKey, CancellationToken cancellationToken)
    {
        using var lease = await _proofChecks.AcquireAsync(clientKey, 1, cancellationToken);
        return lease.IsAcquired;
    }

    public async Task<bool> TryAcquireReplyAsync(string clientKey, CancellationToken cancellationToken)
    {
        using var lease = await _replies.AcquireAsync(clientKey, 1, cancellationToken);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _replies.Dispose();
        _questionTips.Dispose();
        _proofChecks.Dispose();
    }

    /// <summary>The in-memory limiter gives a TimeSpan, RedisRateLimiting whole seconds under its own name.</summary>
    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait
        : lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds) ? TimeSpan.FromSeconds(Math.Max(1, seconds))
        : TimeSpan.FromHours(1);

    /// <summary>
    /// An hourly fixed window per key: in Redis (<c>{prefix}rl:fw:{{budget:key}}</c>) when there is one,
    /// else in memory. RedisRateLimiting answers only <c>AcquireAsync</c> (its synchronous attempt always fails).
    /// </summary>
    private static PartitionedRateLimiter<string> Hourly(SharedRedis? redis, string budget, int permits) => redis is null
        ? PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromHours(1), QueueLimit = 0 }))
        : PartitionedRateLimiter.Create<string, string>(client => RedisRateLimitPartition.GetFixedWindowRateLimiter(budget + ":" + client, _ =>
            new RedisFixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromHours(1), ConnectionMultiplexerFactory = () => redis.Prefixed }));
}
