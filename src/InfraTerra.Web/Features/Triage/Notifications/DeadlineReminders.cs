using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Notifications;

/// <summary>
/// Finds tips whose acknowledgement or feedback deadline is due soon (<see cref="TipDeadlines"/>) and
/// tells their holder, or their desk's officers while nobody holds them. A run may repeat (one cut
/// short is run again): the notifications' unique keys make each one once, and a save that loses a
/// race leaves the rest to the next run.
/// </summary>
public sealed class DeadlineReminders(AppDbContext db, OfficerNotifier notifier, IOptions<DeadlineOptions> deadlines, TimeProvider clock)
{
    private sealed record Candidate(Guid Id, string Desk, string? AssignedToId, TipStatus Status, DateTime SubmittedAtUtc, DateTime? FirstActionAtUtc, DateTime? FeedbackGivenAtUtc);

    /// <summary>One run; returns how many notifications it added.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var options = deadlines.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var added = 0;

        // A day's margin on each side of the window; TipDeadlines has the last word on each tip.
        var ackFrom = now.AddDays(-options.AcknowledgeDays - 1);
        var ackTo = now.AddDays(-options.AcknowledgeDays + options.DueSoonDays + 1);
        foreach (var tip in await CandidatesAsync(t => t.FirstActionAtUtc == null && t.SubmittedAtUtc > ackFrom && t.SubmittedAtUtc <= ackTo, cancellationToken))
        {
            if (TipDeadlines.Acknowledge(tip.SubmittedAtUtc, tip.FirstActionAtUtc, now, options) == DeadlineState.DueSoon)
            {
                added += await NotifyAsync(tip, NotificationKind.AcknowledgeDueSoon, TipDeadlines.AcknowledgeDue(tip.SubmittedAtUtc, options), cancellationToken);
            }
        }

        var feedbackFrom = now.AddMonths(-options.FeedbackMonths).AddDays(-2);
        var feedbackTo = now.AddMonths(-options.FeedbackMonths).AddDays(options.DueSoonDays + 2);
        foreach (var tip in await CandidatesAsync(t => t.FeedbackGivenAtUtc == null && t.SubmittedAtUtc > feedbackFrom && t.SubmittedAtUtc <= feedbackTo, cancellationToken))
        {
            if (TipDeadlines.Feedback(tip.SubmittedAtUtc, tip.FeedbackGivenAtUtc, tip.Status, now, options) == DeadlineState.DueSoon)
            {
                added += await NotifyAsync(tip, NotificationKind.FeedbackDueSoon, TipDeadlines.FeedbackDue(tip.SubmittedAtUtc, options), cancellationToken);
            }
        }

        return added;
    }

    private async Task<List<Candidate>> CandidatesAsync(System.Linq.Expressions.Expression<Func<Tip, bool>> window, CancellationToken cancellationToken) =>
        await db.Tips.AsNoTracking()
            .Where(window)
            .Where(t => t.Status != TipStatus.NotActionable && t.Status != TipStatus.Duplicate && t.Status != TipStatus.Closed)
            .Select(t => new Candidate(t.Id, t.Desk, t.AssignedToId, t.Status, t.SubmittedAtUtc, t.FirstActionAtUtc, t.FeedbackGivenAtUtc))
            .ToListAsync(cancellationToken);

    /// <summary>Saves each tip's notifications on their own, so that a race lost on one tip costs only that tip.</summary>
    private async Task<int> NotifyAsync(Candidate tip, NotificationKind kind, DateTime dueUtc, CancellationToken cancellationToken)
    {
        var added = await notifier.DeadlineDueSoonAsync(new OfficerNotifier.TipRef(tip.Id, tip.Desk, tip.AssignedToId), kind, dueUtc, cancellationToken);
        if (added == 0)
        {
            return 0;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return added;
        }
        catch (DbUpdateException)
        {
            // Another node stored the same keys first: those officers are told already.
            db.ChangeTracker.Clear();
            return 0;
        }
    }
}

/// <summary>The <c>Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>How often the deadline reminders run, in minutes (1 to 1440).</summary>
    public int DeadlineScanMinutes { get; set; } = 30;
}

/// <summary>The <c>Jobs</c> configuration section's key for the deadline reminders.</summary>
public sealed class DeadlineReminderJobOptions
{
    public bool DeadlineRemindersEnabled { get; set; } = true;
}

/// <summary>
/// Runs <see cref="DeadlineReminders"/> every <see cref="NotificationOptions.DeadlineScanMinutes"/>, on one
/// node at a time (<see cref="JobScheduler"/>). Each tip's notifications and their e-mails are saved in one
/// transaction: a run cut short leaves whole tips told, and the next run tells the rest.
/// </summary>
public sealed class DeadlineReminderJob(
    IServiceScopeFactory scopes, IOptions<NotificationOptions> options, IOptions<DeadlineReminderJobOptions> job, ILogger<DeadlineReminderJob> logger) : IScheduledJob
{
    public string Name => "deadline-reminders";
    public bool Enabled => job.Value.DeadlineRemindersEnabled;
    public JobSchedule Schedule => new JobSchedule.Every(TimeSpan.FromMinutes(options.Value.DeadlineScanMinutes));

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<DeadlineReminders>().RunOnceAsync(cancellationToken);
        logger.LogInformation("Deadline reminders: {Count} notification(s) added", added);
        return $"{added} notification(s) added";
    }
}
