using System.Globalization;

namespace InfraTerra.Bench.TipLoad;

/// <summary>One virtual tipster's measurements; merged at the end so that tipsters never contend on a lock.</summary>
public sealed class RunStats
{
    public Dictionary<string, List<double>> Latencies { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> ErrorSamples { get; } = new(StringComparer.Ordinal);
    public int MeasuredTips { get; set; }

    public void Latency(string step, double milliseconds)
    {
        if (!Latencies.TryGetValue(step, out var list))
        {
            Latencies[step] = list = [];
        }

        list.Add(milliseconds);
    }

    public void Error(string kind, string? sample = null)
    {
        Errors[kind] = Errors.GetValueOrDefault(kind) + 1;
        if (sample is not null)
        {
            ErrorSamples.TryAdd(kind, sample);
        }
    }

    public static RunStats Merge(IEnumerable<RunStats> parts)
    {
        var total = new RunStats();
        foreach (var part in parts)
        {
            total.MeasuredTips += part.MeasuredTips;
            foreach (var (step, list) in part.Latencies)
            {
                foreach (var value in list)
                {
                    total.Latency(step, value);
                }
            }

            foreach (var (kind, count) in part.Errors)
            {
                total.Errors[kind] = total.Errors.GetValueOrDefault(kind) + count;
            }

            foreach (var (kind, sample) in part.ErrorSamples)
            {
                total.ErrorSamples.TryAdd(kind, sample);
            }
        }

        return total;
    }

    public static string Describe(List<double> values)
    {
        values.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"n={values.Count,6}  p50 {Percentile(values, 50),7:0.0}  p95 {Percentile(values, 95),7:0.0}  p99 {Percentile(values, 99),7:0.0}  max {values[^1],7:0.0} ms");
    }

    /// <summary>Nearest rank on sorted values.</summary>
    private static double Percentile(List<double> sorted, double percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
