namespace InfraTerra.Web.Domain;

public class Operation
{
    public int Id { get; set; }
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string Summary { get; set; } = "";

    /// <summary>The language <see cref="Summary"/> is written in.</summary>
    public string TextLanguage { get; set; } = "en";

    public DateOnly? LaunchedOn { get; set; }
    public bool IsSample { get; set; }
    public List<Notice> Notices { get; set; } = [];
}
