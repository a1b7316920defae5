namespace InfraTerra.Web.Domain;

public class Warrant
{
    public int Id { get; set; }
    public int NoticeId { get; set; }

    /// <summary>ISO 3166-1 alpha-2 code of the country that issued the warrant; its desk owns the tips.</summary>
    public string IssuingCountry { get; set; } = "";

    /// <summary>The charge as the issuing country wrote it.</summary>
    public string Charge { get; set; } = "";

    /// <summary>An English translation of the charge, where the original is in another language.</summary>
    public string? ChargeTranslation { get; set; }
}
