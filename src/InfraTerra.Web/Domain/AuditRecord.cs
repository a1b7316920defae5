namespace InfraTerra.Web.Domain;

/// <summary>
/// One entry of the append-only audit log. <see cref="Mac"/> is an HMAC over this record's fields
/// and the previous record's MAC, under a key kept outside the database, so a changed, removed or
/// reordered record breaks the chain. Never holds tip content.
/// </summary>
public class AuditRecord
{
    /// <summary>1, 2, 3... without gaps; appends are serialized on it.</summary>
    public long Sequence { get; set; }

    public DateTime AtUtc { get; set; }

    /// <summary>The officer's user id, or null for the system or a command-line operator.</summary>
    public string? ActorId { get; set; }

    /// <summary>The officer's e-mail (or "command line") when it happened: accounts may be renamed or removed.</summary>
    public string ActorName { get; set; } = "";

    /// <summary>What happened, e.g. <c>tip.viewed</c>, <c>account.signed-in</c> (see AuditActions).</summary>
    public string Action { get; set; } = "";

    public Guid? TipId { get; set; }

    /// <summary>What else it was about: an account, an attachment, a desk.</summary>
    public string? Subject { get; set; }

    /// <summary>A short, content-free description: "New → In review", "role Supervisor added".</summary>
    public string? Detail { get; set; }

    public byte[] Mac { get; set; } = [];
}
