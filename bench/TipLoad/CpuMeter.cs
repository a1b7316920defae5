using System.Diagnostics;
using System.Globalization;

namespace InfraTerra.Bench.TipLoad;

/// <summary>
/// CPU time the app and this load generator spent in the measured window: on a shared machine
/// this says more than tips/s, which moves with whatever else runs.
/// </summary>
public sealed class CpuMeter
{
    private readonly Task<(TimeSpan App, TimeSpan Self)> _start;
    private readonly Process? _app;

    private CpuMeter(long measureFrom, Process? app)
    {
        _app = app;
        _start = SampleAtAsync(measureFrom);
    }

    public static CpuMeter StartAt(long measureFrom, int? appProcessId) =>
        new(measureFrom, appProcessId is { } id ? Process.GetProcessById(id) : null);

    public async Task<Used> StopAsync()
    {
        var start = await _start;
        var end = Sample();
        _app?.Dispose();
        return new Used(_app is null ? null : end.App - start.App, end.Self - start.Self);
    }

    private async Task<(TimeSpan App, TimeSpan Self)> SampleAtAsync(long timestamp)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        return Sample();
    }

    private (TimeSpan App, TimeSpan Self) Sample()
    {
        _app?.Refresh();
        using var self = Process.GetCurrentProcess();
        return (_app?.TotalProcessorTime ?? TimeSpan.Zero, self.TotalProcessorTime);
    }

    public sealed record Used(TimeSpan? App, TimeSpan Self)
    {
        public void Report(int tips, double seconds)
        {
            if (App is { } app)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"app CPU in the measured window: {app.TotalSeconds:0.0}s ({app.TotalSeconds / seconds:0.00} of {Environment.ProcessorCount} cores), " +
                    $"{app.TotalMilliseconds / tips:0.0} ms per acknowledged tip (its form, post, receipt, retries)"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"load generator CPU: {Self.TotalSeconds:0.0}s ({Self.TotalSeconds / seconds:0.00} cores), {Self.TotalMilliseconds / tips:0.0} ms per tip"));
        }
    }
}
