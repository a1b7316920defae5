using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

// How long the real ALTCHA widget takes to solve the tip form's proof of work in Chromium, with the
// page's CPU throttled as DevTools does for a slow phone (Emulation.setCPUThrottlingRate).
// Usage: PowSolve --base http://127.0.0.1:5392 [--chromium /usr/bin/chromium] [--rates 1,4,6] [--runs 5]
var values = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    values[args[i].TrimStart('-')] = args[i + 1];
}

var baseUrl = values["base"];
var chromium = values.GetValueOrDefault("chromium", "/usr/bin/chromium");
var rates = values.GetValueOrDefault("rates", "1,4,6").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToList();
var runs = int.Parse(values.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});

foreach (var rate in rates)
{
    var sends = new List<double>();
    var solves = new List<double>();
    var tries = new List<long>();
    var throttledWorkers = 0;
    for (var run = 0; run < runs; run++)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = rate });
        // The page's throttling does not reach its web workers, where the widget solves: each worker
        // is throttled too as it starts (paused until then), through the page's session. Measured in
        // Chromium 156 it still changed nothing measurable; likely because the PBKDF2 itself runs in
        // WebCrypto's native threads, which CPU throttling does not reach (bench/README.md, "pow-solve-time.sh").
        cdp.Event("Target.attachedToTarget").OnEvent += (_, e) =>
        {
            if (e is not { } attached || attached.GetProperty("targetInfo").GetProperty("type").GetString() != "worker")
            {
                return;
            }

            var session = attached.GetProperty("sessionId").GetString()!;
            var throttle = "{\"id\":1,\"method\":\"Emulation.setCPUThrottlingRate\",\"params\":{\"rate\":" + rate.ToString(CultureInfo.InvariantCulture) + "}}";
            _ = Task.Run(async () =>
            {
                await cdp.SendAsync("Target.sendMessageToTarget", new Dictionary<string, object> { ["sessionId"] = session, ["message"] = throttle });
                await cdp.SendAsync("Target.sendMessageToTarget", new Dictionary<string, object> { ["sessionId"] = session, ["message"] = """{"id":2,"method":"Runtime.runIfWaitingForDebugger"}""" });
                Interlocked.Increment(ref throttledWorkers);
            });
        };
        await cdp.SendAsync("Target.setAutoAttach", new Dictionary<string, object> { ["autoAttach"] = true, ["waitForDebuggerOnStart"] = true, ["flatten"] = false });
        string? widgetResponse = null;
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.PostData is { } body
                && Regex.Match(body, "name=\"Input.WidgetResponse\"\r\n\r\n([A-Za-z0-9+/=]+)") is { Success: true } match)
            {
                widgetResponse = match.Groups[1].Value;
            }
        };

        await page.GotoAsync($"{baseUrl}/tips/new");
        await page.Locator("#Input_Description").FillAsync("Seen at the sawmill gate with two trucks (solve-time bench).");
        // A pause as a person takes before pressing Send (the widget fetches its challenge on Send).
        await page.WaitForTimeoutAsync(500);
        var clock = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/tips/receipt$"), new() { Timeout = 180_000 });
        sends.Add(clock.Elapsed.TotalMilliseconds);
        if (widgetResponse is not null)
        {
            var payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(widgetResponse)))!;
            if (payload["solution"]?["time"] is { } time)
            {
                solves.Add((double)time);
            }

            tries.Add((long)payload["solution"]!["counter"]! + 1);
        }
    }

    var line = FormattableString.Invariant($"CPU throttling {rate}x, {runs} runs: Send to receipt median {Median(sends):0} ms (min {sends.Min():0}, max {sends.Max():0})");
    if (solves.Count > 0)
    {
        line += FormattableString.Invariant($"; widget's own solve time median {Median(solves):0} ms (min {solves.Min():0}, max {solves.Max():0})");
    }

    Console.WriteLine((tries.Count > 0 ? $"{line}; tries {string.Join(", ", tries)}" : line) + $"; workers throttled {throttledWorkers}");
}

return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
