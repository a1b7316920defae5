using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using OtpNet;

// The queue at scale, from an officer's browser: signs in for the first time (one-time password,
// new password, authenticator), then times each scenario with sequential requests and prints p50 and
// p95. Usage (every URL is a path on --base; see bench/queue-at-scale.sh):
//   QueueBench --base http://127.0.0.1:5392 --email E --one-time-password P
//     --first /triage [--filtered URL]... [--counts URL] [--tip /triage/tips/{id}]
//     [--depth 200] [--requests 200] [--warmup 20]
var options = Options.Parse(args);
var cookies = new CookieContainer();
using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseCookies = true })
{
    BaseAddress = new Uri(options.Base),
    Timeout = TimeSpan.FromMinutes(5),
};

await Officer.EnrolAsync(client, options.Email, options.OneTimePassword);
Console.WriteLine($"Signed in as {options.Email} with a second factor.");

var results = new List<Result>();
var tipIds = new List<string>();

// The walk: follow the queue's "next page" link from the first page, as an officer paging down would.
var walk = new List<double>();
var url = options.First;
var depth = 0;
var deepUrl = options.First;
while (depth < options.Depth)
{
    var (ms, page) = await Timed.GetAsync(client, url);
    walk.Add(ms);
    tipIds.AddRange(Pages.TipIds(page).Where(_ => tipIds.Count < 2000));
    deepUrl = url;
    if (Pages.NextLink(page) is not { } next)
    {
        break;
    }

    url = next;
    depth++;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Walked {depth} page(s) down from {options.First} by its next-page links (p50 {Stats.Percentile(walk, 50):N1} ms per page); deep page: {deepUrl}"));
if (depth < options.Depth)
{
    Console.WriteLine($"  (the queue ended before {options.Depth} pages: the deep page is its last)");
}

results.Add(await Measure.RunAsync(client, "first page", _ => options.First, options));
results.Add(await Measure.RunAsync(client, $"deep page ({depth} pages down)", _ => deepUrl, options));
foreach (var filtered in options.Filtered)
{
    results.Add(await Measure.RunAsync(client, "filtered " + filtered, _ => filtered, options));
}

if (options.Counts is { } counts)
{
    results.Add(await Measure.RunAsync(client, "counts " + counts, _ => counts, options));
}

if (tipIds.Count > 0)
{
    results.Add(await Measure.RunAsync(client, "tip view", i => options.Tip.Replace("{id}", tipIds[i % tipIds.Count], StringComparison.Ordinal), options));
}

Console.WriteLine();
Console.WriteLine($"{"scenario",-60} {"n",5} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"errors",6}");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{Shorten(r.Name, 60),-60} {r.Times.Count,5} {Stats.Percentile(r.Times, 50),8:N1} {Stats.Percentile(r.Times, 95),8:N1} {Stats.Percentile(r.Times, 99),8:N1} {r.Times.Max(),8:N1} {r.Errors,6}"));
}

var first = results[0];
var deep = results[1];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"deep / first: p50 {Stats.Percentile(deep.Times, 50) / Stats.Percentile(first.Times, 50):N2}x, p95 {Stats.Percentile(deep.Times, 95) / Stats.Percentile(first.Times, 95):N2}x (target: within 1.2x)"));
var queuePages = results.Where(r => r.Name != "tip view" && !r.Name.StartsWith("counts", StringComparison.Ordinal)).ToList();
var worst = queuePages.MaxBy(r => Stats.Percentile(r.Times, 95))!;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"slowest queue page p95: {Stats.Percentile(worst.Times, 95):N1} ms ({worst.Name}; target: under 100 ms on SQLite at 1M tips)"));
return results.Sum(r => r.Errors) == 0 ? 0 : 1;

static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

internal sealed record Result(string Name, List<double> Times, int Errors);

internal sealed record Options(
    string Base, string Email, string OneTimePassword, string First, IReadOnlyList<string> Filtered, string? Counts, string Tip,
    int Depth, int Requests, int Warmup)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var key = args[i].TrimStart('-');
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
            }

            list.Add(args[i + 1]);
        }

        string One(string key, string? fallback = null) =>
            values.TryGetValue(key, out var v) ? v[^1] : fallback ?? throw new ArgumentException($"--{key} is required.");
        int Number(string key, int fallback) => int.Parse(One(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        return new Options(
            One("base"), One("email"), One("one-time-password"), One("first", "/triage"),
            values.TryGetValue("filtered", out var filtered) ? [.. filtered.Where(f => f.Length > 0)] : [],
            values.TryGetValue("counts", out var counts) && counts[^1].Length > 0 ? counts[^1] : null,
            One("tip", "/triage/tips/{id}"), Number("depth", 200), Number("requests", 200), Number("warmup", 20));
    }
}

internal static class Measure
{
    public static async Task<Result> RunAsync(HttpClient client, string name, Func<int, string> url, Options options)
    {
        var times = new List<double>(options.Requests);
        var errors = 0;
        for (var i = 0; i < options.Warmup + options.Requests; i++)
        {
            var address = url(i);
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(address);
            var body = await response.Content.ReadAsStringAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                if (errors++ == 0)
                {
                    Console.WriteLine($"  {name}: {address} answered {(int)response.StatusCode} {response.Headers.Location}");
                }
            }

            if (i >= options.Warmup)
            {
                times.Add(ms);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: p50 {Stats.Percentile(times, 50):N1} ms, p95 {Stats.Percentile(times, 95):N1} ms ({url(0)})"));
        return new Result(name, times, errors);
    }
}

internal static class Timed
{
    public static async Task<(double Ms, IDocument Page)> GetAsync(HttpClient client, string url)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url} answered {(int)response.StatusCode} {response.Headers.Location}");
        }

        return (ms, await Pages.ParseAsync(html));
    }
}

internal static partial class Pages
{
    public static Task<IDocument> ParseAsync(string html) =>
        BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(html));

    /// <summary>The queue's next page: a link with rel="next", whatever the cursor parameter is called.</summary>
    public static string? NextLink(IDocument page) =>
        page.QuerySelector("a[rel~=next], link[rel~=next]")?.GetAttribute("href");

    public static IEnumerable<string> TipIds(IDocument page) =>
        page.QuerySelectorAll("a[href^='/triage/tips/']")
            .Select(a => TipLink().Match(a.GetAttribute("href") ?? ""))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct();

    [GeneratedRegex("^/triage/tips/([0-9a-fA-F-]{36})$")]
    private static partial Regex TipLink();
}

internal static class Stats
{
    public static double Percentile(List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

internal static class Officer
{
    /// <summary>The first sign-in, as an officer's browser makes it: the same steps the tests' Officers.EnrolAsync takes.</summary>
    public static async Task EnrolAsync(HttpClient client, string email, string oneTimePassword)
    {
        var newPassword = "Bench-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        await PostAsync(client, "/account/login", "/account/change-password", f =>
        {
            f["Input.Email"] = email;
            f["Input.Password"] = oneTimePassword;
        });
        await PostAsync(client, "/account/change-password", "/account/setup-authenticator", f =>
        {
            f["Input.CurrentPassword"] = oneTimePassword;
            f["Input.NewPassword"] = newPassword;
            f["Input.ConfirmPassword"] = newPassword;
        });
        var (_, setup) = await Timed.GetAsync(client, "/account/setup-authenticator");
        var key = setup.QuerySelector("#authenticator-key")?.TextContent
            ?? throw new InvalidOperationException("No authenticator key on /account/setup-authenticator.");
        var fields = FormFields(setup);
        fields["Code"] = new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();
        using var enabled = await client.PostAsync("/account/setup-authenticator", new FormUrlEncodedContent(fields));
        if (enabled.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Setting up the authenticator answered {(int)enabled.StatusCode}.");
        }
    }

    private static async Task PostAsync(HttpClient client, string path, string expectedRedirect, Action<Dictionary<string, string>> fill)
    {
        var (_, page) = await Timed.GetAsync(client, path);
        var fields = FormFields(page);
        fill(fields);
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        if (response.Headers.Location?.OriginalString != expectedRedirect)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode} {response.Headers.Location}, not a redirect to {expectedRedirect}.");
        }
    }

    private static Dictionary<string, string> FormFields(IDocument document)
    {
        var form = (IHtmlFormElement)(document.QuerySelector("main form") ?? throw new InvalidOperationException("No form on the page."));
        var fields = new Dictionary<string, string>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    if (box.IsChecked)
                    {
                        fields[box.Name!] = box.Value;
                    }

                    break;
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    fields[input.Name] = input.Value ?? "";
                    break;
            }
        }

        return fields;
    }
}
