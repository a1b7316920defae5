using System.Collections.Concurrent;
using System.Text.Json;

namespace InfraTerra.Bench.TipLoad;

/// <summary>One tip form as the tipster saw it: every receipt shown for it, and how often it was posted.</summary>
public sealed class FormRecord
{
    public required string FormKey { get; init; }
    public bool HasAttachment { get; init; }
    public int Posts { get; set; }
    public List<string> Receipts { get; init; } = [];

    public bool Acknowledged => Receipts.Count > 0;
}

/// <summary>Every form the run sent, written as JSON lines for the recount.</summary>
public sealed class Ledger
{
    private readonly ConcurrentQueue<FormRecord> _forms = new();

    public FormRecord Add(string formKey, bool hasAttachment)
    {
        var record = new FormRecord { FormKey = formKey, HasAttachment = hasAttachment };
        _forms.Enqueue(record);
        return record;
    }

    public IReadOnlyCollection<FormRecord> Forms => _forms;

    public void Save(string path)
    {
        using var writer = new StreamWriter(path);
        foreach (var form in _forms)
        {
            writer.WriteLine(JsonSerializer.Serialize(form));
        }
    }

    public static List<FormRecord> Load(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<FormRecord>(l)!)];
}
