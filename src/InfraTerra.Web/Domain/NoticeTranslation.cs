namespace InfraTerra.Web.Domain;

/// <summary>A notice's free texts in another language; a missing text falls back to the original.</summary>
public class NoticeTranslation
{
    public int Id { get; set; }
    public int NoticeId { get; set; }

    /// <summary>One of the portal's languages: en, fr, es, ar.</summary>
    public string Language { get; set; } = "";

    public string? Summary { get; set; }
    public string? Caution { get; set; }
    public string? Reward { get; set; }
    public string? DistinguishingMarks { get; set; }
}
