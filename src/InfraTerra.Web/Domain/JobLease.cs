namespace InfraTerra.Web.Domain;

/// <summary>
/// One scheduled job's row: which node holds it and until when (taken by a conditional update that
/// only one node can win), and when it last finished, so that a due run happens once across the
/// nodes and a run cut short by a dead node is run again after its lease lapses.
/// </summary>
public class JobLease
{
    public string Name { get; set; } = "";
    public string? Holder { get; set; }
    public DateTime? LeasedUntilUtc { get; set; }
    public DateTime? LastStartedAtUtc { get; set; }
    public DateTime? LastCompletedAtUtc { get; set; }
    public string? LastResult { get; set; }
    public int RunCount { get; set; }
}
