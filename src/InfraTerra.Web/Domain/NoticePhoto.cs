namespace InfraTerra.Web.Domain;

public class NoticePhoto
{
    public int Id { get; set; }
    public int NoticeId { get; set; }
    public string ContentType { get; set; } = "";
    public byte[] Content { get; set; } = [];
    public int Width { get; set; }
    public int Height { get; set; }

    /// <summary>A small JPEG made from <see cref="Content"/> for lists; lists never download full photos.</summary>
    public byte[] Thumbnail { get; set; } = [];

    public string AltText { get; set; } = "";
}
