namespace InfraTerra.Web.Domain;

/// <summary>An officer's membership of a desk (a country code, or <see cref="Tip.GeneralDesk"/>), set by administrators.</summary>
public class OfficerDesk
{
    public string UserId { get; set; } = "";
    public string Desk { get; set; } = "";
}
