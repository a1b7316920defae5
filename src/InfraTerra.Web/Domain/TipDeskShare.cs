namespace InfraTerra.Web.Domain;

/// <summary>A desk that forwarded a tip away keeps read access to it.</summary>
public class TipDeskShare
{
    public Guid TipId { get; set; }
    public string Desk { get; set; } = "";
    public DateTime SharedAtUtc { get; set; }
}
