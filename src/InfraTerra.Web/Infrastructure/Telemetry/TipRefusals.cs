namespace InfraTerra.Web.Infrastructure.Telemetry;

/// <summary>The fixed words of <see cref="HourlyTipCounts.Refused"/>' <c>reason</c> tag: why a tip form came back unsent.</summary>
public static class TipRefusals
{
    public const string CrossSite = "cross_site";
    public const string Overloaded = "overloaded";
    public const string TooLarge = "too_large";
    public const string Expired = "expired";
    public const string Unreadable = "unreadable";
    public const string NoticeGone = "notice_gone";
    public const string Invalid = "invalid";
    public const string CheckFailed = "check_failed";
    public const string RateLimited = "rate_limited";
    public const string QuestionBudget = "question_budget";
    public const string FilesRefused = "files_refused";
    public const string UploadsBusy = "uploads_busy";
    public const string DatabaseDown = "database_down";

    public static readonly IReadOnlyList<string> All =
    [
        CrossSite, Overloaded, TooLarge, Expired, Unreadable, NoticeGone, Invalid, CheckFailed, RateLimited, QuestionBudget,
        FilesRefused, UploadsBusy, DatabaseDown,
    ];
}
