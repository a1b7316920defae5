namespace InfraTerra.Web.Domain;

public class NoticePhoto
{
    public int Id { get; set; }
    public int NoticeId { get; set; }
    public string ContentType { get; set; } = "";
    public byte[] Content { get; set; } = [];
    public string AltText { get; set; } = "";
}
