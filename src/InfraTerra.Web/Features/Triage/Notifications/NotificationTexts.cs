using System.Globalization;
using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Features.Triage.Notifications;

/// <summary>
/// What a notification says, in the app and by e-mail: its kind, the tip's desk, a deadline's time
/// and a link, never anything the tipster wrote (not the notice either: a name in a subject line is
/// read on a lock screen). The officer signs in to read the tip.
/// </summary>
public static class NotificationTexts
{
    public static string Label(NotificationKind kind) => kind switch
    {
        NotificationKind.UrgentTipOnDesk => "Urgent tip (threat to life) on your desk",
        NotificationKind.AnswerOnHeldTip => "The tipster answered on a tip you hold",
        NotificationKind.AcknowledgeDueSoon => "Acknowledgement deadline due soon",
        NotificationKind.FeedbackDueSoon => "Feedback deadline due soon",
        NotificationKind.DeletionDueSoon => "A tip will be deleted soon (retention)",
        _ => "Notification",
    };

    public static string Subject(NotificationKind kind, string desk) => kind switch
    {
        NotificationKind.UrgentTipOnDesk => $"InfraTerra: an urgent tip arrived on desk {desk}",
        NotificationKind.AnswerOnHeldTip => "InfraTerra: a tipster answered on a tip you hold",
        NotificationKind.AcknowledgeDueSoon => $"InfraTerra: a tip on desk {desk} must be acknowledged soon",
        NotificationKind.FeedbackDueSoon => $"InfraTerra: a tip on desk {desk} needs feedback to the tipster soon",
        NotificationKind.DeletionDueSoon => $"InfraTerra: a tip on desk {desk} will be deleted soon",
        _ => "InfraTerra: a notification",
    };

    /// <param name="linkBase">The officers' origin (no trailing slash), or null: then the path alone.</param>
    public static string Body(NotificationKind kind, string desk, Guid tipId, DateTime? dueUtc, string? linkBase)
    {
        var first = kind switch
        {
            NotificationKind.UrgentTipOnDesk => $"An urgent tip arrived on desk {desk}: someone may be in danger now.",
            NotificationKind.AnswerOnHeldTip => $"The tipster answered on a tip you hold (desk {desk}).",
            NotificationKind.AcknowledgeDueSoon => $"A tip on desk {desk} must be acknowledged by {When(dueUtc)}.",
            NotificationKind.FeedbackDueSoon => $"A tip on desk {desk} needs feedback to the tipster by {When(dueUtc)}.",
            NotificationKind.DeletionDueSoon =>
                $"A tip on desk {desk} will be deleted on {When(dueUtc)} under the retention rules. A Supervisor can put it on hold to keep it.",
            _ => "There is something for you on InfraTerra.",
        };
        var origin = linkBase ?? "";
        return $"""
            {first}

            Sign in to read it: {origin}/triage/tips/{tipId}

            This e-mail says nothing of what the tip contains, on purpose.
            Your notifications: {origin}/triage/notifications
            """;
    }

    private static string When(DateTime? dueUtc) =>
        dueUtc is { } due ? due.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "soon";
}
