namespace InfraTerra.Web.Domain;

/// <summary>An officer's named queue filter: the query string of the queue's shareable URL.</summary>
public class SavedQueueView
{
    public int Id { get; set; }
    public string OfficerId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Query { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
}
