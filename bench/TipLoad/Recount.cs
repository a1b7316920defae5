using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace InfraTerra.Bench.TipLoad;

/// <summary>
/// Reads the Tips table after the run and holds it against what the tipsters were told: every
/// acknowledged form is one row (its IdempotencyKeyHash), every receipt shown for a form is the
/// same one and belongs to that row (ReceiptLookupHash, when the lookup key is known), attachments
/// are where they were sent, and no row comes from anywhere else.
/// </summary>
public static class Recount
{
    private sealed record Row(string ReceiptLookupHash, long Attachments);

    public static int Run(RecountOptions options)
    {
        var forms = Ledger.Load(options.LedgerPath);
        var rows = options.PostgresConnection is { } postgres ? ReadRows(new Npgsql.NpgsqlConnection(postgres), "\"") : ReadRows(SqliteFile(options.DatabasePath!), "");

        int missing = 0, receiptsDiffer = 0, receiptNotOnRow = 0, attachmentsWrong = 0, storedUnacknowledged = 0, matched = 0;
        foreach (var form in forms)
        {
            var found = rows.TryGetValue(IdempotencyHash(form.FormKey), out var row);
            if (found)
            {
                matched++;
            }

            if (!form.Acknowledged)
            {
                storedUnacknowledged += found ? 1 : 0;
                continue;
            }

            if (!found)
            {
                missing++;
                continue;
            }

            if (form.Receipts.Distinct(StringComparer.Ordinal).Count() != 1)
            {
                receiptsDiffer++;
            }

            if (options.LookupKey is { } key && !form.Receipts.All(r => LookupHash(key, r) == row!.ReceiptLookupHash))
            {
                receiptNotOnRow++;
            }

            if (row!.Attachments != (form.HasAttachment ? 1 : 0))
            {
                attachmentsWrong++;
            }
        }

        var acknowledged = forms.Count(f => f.Acknowledged);
        var resent = forms.Count(f => f.Acknowledged && f.Receipts.Count > 1);
        var unknown = rows.Count - matched;
        Console.WriteLine($"recount of {options.Source} (after the app stopped):");
        Console.WriteLine($"  acknowledged forms            {acknowledged,8}");
        Console.WriteLine($"  rows in Tips                  {rows.Count,8}");
        Console.WriteLine($"  acknowledged, row missing     {missing,8}");
        Console.WriteLine($"  stored, never acknowledged    {storedUnacknowledged,8}  (a lost answer: the same form sent again shows its receipt)");
        Console.WriteLine($"  rows from no form of this run {unknown,8}");
        Console.WriteLine($"  forms sent again (retry or double click) {resent}; of them showing another receipt: {receiptsDiffer}");
        Console.WriteLine(options.LookupKey is null
            ? "  receipts against rows: not checked (TIPLOAD_LOOKUP_KEY not set)"
            : $"  receipts whose lookup hash is not on their form's row: {receiptNotOnRow}");
        Console.WriteLine($"  attachments not where they were sent: {attachmentsWrong}");

        var pass = acknowledged > 0 && missing == 0 && unknown == 0 && receiptsDiffer == 0 && receiptNotOnRow == 0 && attachmentsWrong == 0
            && rows.Count == acknowledged + storedUnacknowledged;
        Console.WriteLine(pass
            ? $"RECOUNT PASS: every one of the {acknowledged} acknowledged tips is stored exactly once, with the receipt its tipster holds"
            : "RECOUNT FAIL");
        return pass ? 0 : 1;
    }

    private static SqliteConnection SqliteFile(string databasePath) =>
        new(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());

    /// <param name="q">How the engine quotes names: PostgreSQL keeps the model's capitals only when quoted.</param>
    private static Dictionary<string, Row> ReadRows(System.Data.Common.DbConnection connection, string q)
    {
        using var db = connection;
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"""
            SELECT t.{q}IdempotencyKeyHash{q}, t.{q}ReceiptLookupHash{q},
                   (SELECT COUNT(*) FROM {q}TipAttachments{q} a WHERE a.{q}TipId{q} = t.{q}Id{q})
            FROM {q}Tips{q} t
            """;
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows.Add(Convert.ToHexString((byte[])reader[0]), new Row(Convert.ToHexString((byte[])reader[1]), reader.GetInt64(2)));
        }

        return rows;
    }

    // The app's own rules (Infrastructure/Crypto/FormKeys.Hash and ReceiptCodes.LookupHash), restated
    // rather than referenced so that a change there shows up here as a failed recount.
    private static string IdempotencyHash(string formKey) =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes("idempotency:" + formKey)));

    private static string LookupHash(byte[] key, string receipt) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(receipt.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())));
}
