using System.Diagnostics;
using System.Globalization;

namespace InfraTerra.Bench.TipLoad;

public static class LoadRun
{
    private static readonly string[] Steps = ["GET form", "POST tip", "POST tip + PNG", "GET receipt", "POST retry", "POST double click"];

    public static async Task<int> RunAsync(LoadOptions options)
    {
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = options.Concurrency * 2,
        };
        using var http = new HttpClient(handler) { BaseAddress = options.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var notices = options.NoticePercent > 0
            ? FormPage.NoticeReferences(await http.GetStringAsync(new Uri("/notices", UriKind.Relative)))
            : [];
        if (options.NoticePercent > 0 && notices.Count == 0)
        {
            Console.Error.WriteLine("/notices lists no notice: tips will go to the general desk only.");
        }

        var ledger = new Ledger();
        var tipsters = Enumerable.Range(0, options.Concurrency)
            .Select(i => new Tipster(http, options, ledger, notices, seed: 1000 + i))
            .ToList();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Concurrency} virtual tipsters for {options.Warmup.TotalSeconds:0}s warm-up + {options.Duration.TotalSeconds:0}s measured; " +
            $"{notices.Count} notices ({options.NoticePercent:0}% of tips about one); retries {options.RetryPercent:0}%, " +
            $"double clicks {options.DoublePercent:0}%, attachments {options.AttachPercent:0}% ({TinyPng.Bytes.Length} B PNG)"));

        using var abort = new CancellationTokenSource();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var cpu = CpuMeter.StartAt(measureFrom, options.AppProcessId);
        var runs = tipsters.Select(t => RunUntilFailureAsync(t, measureFrom, stopAt, abort)).ToList();
        var failures = (await Task.WhenAll(runs)).OfType<string>().Distinct().ToList();
        var measuredSeconds = Stopwatch.GetElapsedTime(measureFrom).TotalSeconds;
        var cpuUsed = await cpu.StopAsync();

        if (failures.Count > 0)
        {
            ledger.Save(options.LedgerPath);
            foreach (var failure in failures)
            {
                Console.Error.WriteLine(failure);
            }

            return 2;
        }

        var stats = RunStats.Merge(tipsters.Select(t => t.Stats));
        Report(stats, ledger, measuredSeconds, Path.ChangeExtension(options.LedgerPath, ".errors"));
        if (stats.MeasuredTips > 0)
        {
            cpuUsed.Report(stats.MeasuredTips, measuredSeconds);
        }

        if (options.SplitTips > 0 && options.AppProcessId is { } appPid)
        {
            await SplitAsync(tipsters, options.SplitTips, appPid, abort.Token);
        }

        ledger.Save(options.LedgerPath);
        return 0;
    }

    /// <summary>
    /// After the measured run (so the app is warm), the same tipsters send <paramref name="tips"/>
    /// more tips in three phases, every form first, then every post, then every receipt, and the
    /// app's CPU time is read around each phase: what each kind of request costs, at full concurrency.
    /// </summary>
    private static async Task SplitAsync(List<Tipster> tipsters, int tips, int appPid, CancellationToken cancellationToken)
    {
        using var app = Process.GetProcessById(appPid);
        var each = Math.Max(1, tips / tipsters.Count);
        Console.WriteLine($"app CPU per request, split run ({each * tipsters.Count} more tips, each phase alone at the same concurrency, warm):");
        var (forms, formCpu) = await PhaseAsync(app, () => Task.WhenAll(tipsters.Select(t => t.OpenFormsAsync(each, cancellationToken))));
        var (posted, postCpu) = await PhaseAsync(app, () => Task.WhenAll(tipsters.Select((t, i) => t.PostFormsAsync(forms[i], cancellationToken))));
        var (receipts, receiptCpu) = await PhaseAsync(app, () => Task.WhenAll(tipsters.Select((t, i) => t.ReadReceiptsAsync(posted[i], cancellationToken))));
        var formCount = forms.Sum(f => f.Count);
        var postCount = posted.Sum(p => p.Count);
        var receiptCount = receipts.Sum();
        double Per(TimeSpan cpu, int count) => count == 0 ? double.NaN : cpu.TotalMilliseconds / count;
        var perForm = Per(formCpu, formCount);
        var perPost = Per(postCpu, formCount);
        var perReceipt = Per(receiptCpu, postCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  GET form     {perForm,6:0.00} ms  ({formCount} requests, {formCpu.TotalSeconds:0.00} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  POST tip     {perPost,6:0.00} ms  ({formCount} posts, {postCount} answered with the receipt's redirect, {postCpu.TotalSeconds:0.00} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  GET receipt  {perReceipt,6:0.00} ms  ({postCount} requests, {receiptCount} showed their code, {receiptCpu.TotalSeconds:0.00} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  one tip      {perForm + perPost + perReceipt,6:0.00} ms  (form {100 * perForm / (perForm + perPost + perReceipt):0} %, post {100 * perPost / (perForm + perPost + perReceipt):0} %, receipt {100 * perReceipt / (perForm + perPost + perReceipt):0} %; anti-spam check not included)"));
    }

    private static async Task<(T Result, TimeSpan AppCpu)> PhaseAsync<T>(Process app, Func<Task<T>> phase)
    {
        app.Refresh();
        var before = app.TotalProcessorTime;
        var result = await phase();
        app.Refresh();
        return (result, app.TotalProcessorTime - before);
    }

    private static async Task<string?> RunUntilFailureAsync(Tipster tipster, long measureFrom, long stopAt, CancellationTokenSource abort)
    {
        try
        {
            await tipster.RunAsync(measureFrom, stopAt, abort.Token);
            return null;
        }
        catch (InvalidOperationException e)
        {
            await abort.CancelAsync();
            return e.Message;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return null;
        }
    }

    private static void Report(RunStats stats, Ledger ledger, double measuredSeconds, string errorFolder)
    {
        var forms = ledger.Forms;
        var acknowledged = forms.Count(f => f.Acknowledged);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tips acknowledged in the measured {measuredSeconds:0.0}s: {stats.MeasuredTips}  =>  {stats.MeasuredTips / measuredSeconds:0.0} tips/s"));
        Console.WriteLine("latency per step (measured window; POST tip = send until the 302 to the receipt):");
        foreach (var step in Steps)
        {
            if (stats.Latencies.TryGetValue(step, out var values) && values.Count > 0)
            {
                Console.WriteLine($"  {step,-17} {RunStats.Describe(values)}");
            }
        }

        Console.WriteLine($"forms over the whole run (warm-up included): {forms.Count} opened, {acknowledged} acknowledged, " +
            $"{forms.Sum(f => f.Posts)} posts, {forms.Count(f => f.HasAttachment && f.Acknowledged)} acknowledged with a PNG");
        if (stats.Errors.Count == 0)
        {
            Console.WriteLine("errors: none");
            return;
        }

        Directory.CreateDirectory(errorFolder);
        Console.WriteLine($"errors (whole run; first page of each kind in {errorFolder}):");
        var index = 0;
        foreach (var (kind, count) in stats.Errors.OrderByDescending(e => e.Value))
        {
            Console.WriteLine($"  {count,7}  {kind}");
            if (stats.ErrorSamples.TryGetValue(kind, out var sample))
            {
                File.WriteAllText(Path.Combine(errorFolder, $"{++index}.html"), sample);
            }
        }
    }
}
