using System.Threading.RateLimiting;

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
/// </summary>
public sealed class SubmissionLimits : IDisposable
{
    public const int DefaultQuestionTipsPerHourGlobal = 60;

    /// <summary>Twice the default tip budget: a tipster whose widget failed once can still send every tip they may.</summary>
    public const int DefaultProofChecksPerHour = 60;

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly PartitionedRateLimiter<string> _replies;
    private readonly FixedWindowRateLimiter _questionTips;
    private readonly PartitionedRateLimiter<string> _proofChecks;

    public SubmissionLimits(IConfiguration configuration)
    {
        PerHour = Math.Max(1, configuration.GetValue("RateLimits:TipSubmissionsPerHour", 30));
        var withoutScript = Math.Clamp(configuration.GetValue("RateLimits:TipSubmissionsPerHourWithoutScript", 10), 1, PerHour);
        QuestionCost = PerHour / withoutScript;
        _limiter = Hourly(PerHour);
        _replies = Hourly(Math.Max(1, configuration.GetValue("RateLimits:FollowUpRepliesPerHour", 30)));
        _questionTips = new FixedWindowRateLimiter(HourlyOptions(Math.Max(1, configuration.GetValue("RateLimits:QuestionTipsPerHourGlobal", DefaultQuestionTipsPerHourGlobal))));
        _proofChecks = Hourly(Math.Max(1, configuration.GetValue("RateLimits:ProofChecksPerHour", DefaultProofChecksPerHour)));
    }

    public int PerHour { get; }

    public int QuestionCost { get; }

    public bool TryAcquire(string clientKey, bool throughQuestion = false)
    {
        using var lease = _limiter.AttemptAcquire(clientKey, throughQuestion ? QuestionCost : 1);
        return lease.IsAcquired;
    }

    /// <summary>One of the hourly tips all clients together may send through the question; when none is left, how long until the next.</summary>
    public bool TryAcquireQuestionTip(out TimeSpan retryAfter)
    {
        using var lease = _questionTips.AttemptAcquire();
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromHours(1);
        return lease.IsAcquired;
    }

    /// <summary>One costly check of a widget's answer (see the class summary).</summary>
    public bool TryAcquireProofCheck(string clientKey)
    {
        using var lease = _proofChecks.AttemptAcquire(clientKey);
        return lease.IsAcquired;
    }

    public bool TryAcquireReply(string clientKey)
    {
        using var lease = _replies.AttemptAcquire(clientKey);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _replies.Dispose();
        _questionTips.Dispose();
        _proofChecks.Dispose();
    }

    private static PartitionedRateLimiter<string> Hourly(int permits) =>
        PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => HourlyOptions(permits)));

    private static FixedWindowRateLimiterOptions HourlyOptions(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromHours(1), QueueLimit = 0 };
}
