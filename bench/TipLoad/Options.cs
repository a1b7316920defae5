using System.Globalization;

namespace InfraTerra.Bench.TipLoad;

public sealed record LoadOptions(
    Uri BaseAddress,
    string LedgerPath,
    int Concurrency,
    TimeSpan Duration,
    TimeSpan Warmup,
    double RetryPercent,
    double DoublePercent,
    double AttachPercent,
    double NoticePercent,
    int? AppProcessId,
    int SplitTips)
{
    public static LoadOptions Parse(string[] args)
    {
        var values = Arguments.Read(args);
        return new LoadOptions(
            new Uri(Arguments.Required(values, "base")),
            Arguments.Required(values, "ledger"),
            (int)Arguments.Number(values, "concurrency", 16, 1, 1000),
            TimeSpan.FromSeconds(Arguments.Number(values, "duration", 30, 1, 3600)),
            TimeSpan.FromSeconds(Arguments.Number(values, "warmup", 5, 0, 600)),
            Arguments.Number(values, "retry-percent", 5, 0, 100),
            Arguments.Number(values, "double-percent", 2, 0, 100),
            Arguments.Number(values, "attach-percent", 0, 0, 100),
            Arguments.Number(values, "notice-percent", 50, 0, 100),
            values.ContainsKey("app-pid") ? (int)Arguments.Number(values, "app-pid", 0, 1, int.MaxValue) : null,
            (int)Arguments.Number(values, "split-tips", 0, 0, 1_000_000));
    }
}

/// <summary>The recount reads a SQLite file (<c>--db</c>) or a PostgreSQL database (<c>--postgres</c>, a connection string).</summary>
public sealed record RecountOptions(string? DatabasePath, string? PostgresConnection, string LedgerPath, byte[]? LookupKey)
{
    public static RecountOptions Parse(string[] args)
    {
        var values = Arguments.Read(args);
        var lookupKey = Environment.GetEnvironmentVariable("TIPLOAD_LOOKUP_KEY");
        var postgres = values.GetValueOrDefault("postgres");
        return new RecountOptions(
            postgres is null ? Arguments.Required(values, "db") : null,
            postgres,
            Arguments.Required(values, "ledger"),
            string.IsNullOrWhiteSpace(lookupKey) ? null : Convert.FromBase64String(lookupKey));
    }

    /// <summary>What the recount read, for its report (never the connection string's other parts).</summary>
    public string Source => DatabasePath ?? "PostgreSQL database " + new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnection).Database;
}

internal static class Arguments
{
    public static Dictionary<string, string> Read(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value', got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return values;
    }

    public static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public static double Number(Dictionary<string, string> values, string name, double fallback, double min, double max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        // "30s" as the shell scripts write durations, or plain "30".
        if (!double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} must be a number from {min} to {max}, got '{text}'.");
        }

        return value;
    }
}
