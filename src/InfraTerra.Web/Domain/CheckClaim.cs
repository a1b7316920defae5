namespace InfraTerra.Web.Domain;

/// <summary>
/// One solved anti-spam check, claimed by the form that first passed with it, shared by every node
/// that serves one database (where no Redis is configured). Holds no content: the check's id is a
/// hash of its public nonce, the owner a keyed hash of the form's key.
/// </summary>
public class CheckClaim
{
    public string Id { get; set; } = "";
    public string Owner { get; set; } = "";
    public DateTime ExpiresAtUtc { get; set; }
}
