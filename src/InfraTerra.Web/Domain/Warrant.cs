namespace InfraTerra.Web.Domain;

public class Warrant
{
    public int Id { get; set; }
    public int NoticeId { get; set; }

    /// <summary>ISO 3166-1 alpha-2 code of the country that issued the warrant; its desk owns the tips.</summary>
    public string IssuingCountry { get; set; } = "";

    public string Charge { get; set; } = "";
}
