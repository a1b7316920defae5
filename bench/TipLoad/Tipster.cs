using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace InfraTerra.Bench.TipLoad;

/// <summary>
/// One virtual tipster, sending tips one after another, each as a new browser: open the form, fill
/// it in, send it, read the receipt. Some send the same form again afterwards (a retry after a
/// lost answer) or twice at once (a double click); both must show the first receipt again.
/// </summary>
[SuppressMessage("Security", "CA5394", Justification = "Seeded on purpose: every run sends the same mix of tips; nothing here is a secret.")]
public sealed class Tipster(HttpClient http, LoadOptions options, Ledger ledger, IReadOnlyList<string> notices, int seed)
{
    private const int AttemptsPerForm = 3;

    private static readonly string[] Words =
    [
        "saw", "the", "man", "from", "the", "notice", "near", "harbour", "boat", "loading", "crates", "timber",
        "ivory", "truck", "market", "evening", "with", "two", "others", "blue", "pickup", "north", "road",
        "river", "village", "fishing", "vessel", "nets", "night", "warehouse", "drums", "waste", "dumped",
    ];

    private static readonly string[] Countries = ["BR", "ID", "KE", "CD", "PE", "VN", "MZ", "FR", ""];
    private static readonly string[] HowKnown = ["SawInPerson", "KnowPersonally", "SawPhotoOrVideo", "HeardFromSomeone", "Other", ""];
    private static readonly string[] Certainty = ["VerySure", "FairlySure", "NotSure", ""];

    private readonly Random _random = new(seed);

    public RunStats Stats { get; } = new();

    public async Task RunAsync(long measureFrom, long stopAt, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
        {
            var measured = Stopwatch.GetTimestamp() >= measureFrom;
            if (await SendOneTipAsync(measured, cancellationToken) && measured)
            {
                Stats.MeasuredTips++;
            }
        }
    }

    private async Task<bool> SendOneTipAsync(bool measured, CancellationToken cancellationToken)
    {
        var jar = new CookieJar();
        var path = notices.Count > 0 && Chance(options.NoticePercent)
            ? $"/tips/new?notice={notices[_random.Next(notices.Count)]}"
            : "/tips/new";

        var form = await SendAsync(HttpMethod.Get, path, null, jar, "GET form", measured, cancellationToken);
        if (form is not { Status: HttpStatusCode.OK })
        {
            if (form is not null)
            {
                Stats.Error($"GET form {(int)form.Status}");
            }

            return false;
        }

        var fields = FormPage.HiddenFields(form.Body);
        if (fields.ContainsKey("Input.CheckToken"))
        {
            throw new InvalidOperationException("The tip form asks a human check: start the app with Captcha__Provider=None (Development only).");
        }

        if (!fields.TryGetValue("Input.FormKey", out var formKey) || !fields.ContainsKey("__RequestVerificationToken"))
        {
            throw new InvalidOperationException("The tip form has no Input.FormKey or antiforgery token: has the form changed?");
        }

        Fill(fields);
        var record = ledger.Add(formKey, Chance(options.AttachPercent));

        bool acknowledged;
        if (Chance(options.DoublePercent))
        {
            var twin = jar.Clone();
            var outcomes = await Task.WhenAll(
                SubmitAsync(path, fields, record, jar, "POST tip", measured, cancellationToken),
                SubmitAsync(path, fields, record, twin, "POST double click", measured, cancellationToken));
            acknowledged = outcomes.Any(o => o);
        }
        else
        {
            acknowledged = await SubmitAsync(path, fields, record, jar, "POST tip", measured, cancellationToken);
        }

        if (acknowledged && Chance(options.RetryPercent))
        {
            await SubmitAsync(path, fields, record, jar, "POST retry", measured, cancellationToken);
        }

        return acknowledged;
    }

    /// <summary>A form opened and filled in, not yet sent: the split run sends each request kind in its own phase.</summary>
    public sealed record Pending(string Path, Dictionary<string, string> Fields, FormRecord Record, CookieJar Jar);

    /// <summary>Phase 1 of the split run: open <paramref name="count"/> forms (GET), fill them in.</summary>
    public async Task<List<Pending>> OpenFormsAsync(int count, CancellationToken cancellationToken)
    {
        var opened = new List<Pending>();
        for (var i = 0; i < count; i++)
        {
            var jar = new CookieJar();
            var path = notices.Count > 0 && Chance(options.NoticePercent)
                ? $"/tips/new?notice={notices[_random.Next(notices.Count)]}"
                : "/tips/new";
            var form = await SendAsync(HttpMethod.Get, path, null, jar, "split GET form", false, cancellationToken);
            if (form is not { Status: HttpStatusCode.OK })
            {
                Stats.Error($"split GET form {(form is null ? "failed" : ((int)form.Status).ToString(CultureInfo.InvariantCulture))}");
                continue;
            }

            var fields = FormPage.HiddenFields(form.Body);
            Fill(fields);
            opened.Add(new Pending(path, fields, ledger.Add(fields["Input.FormKey"], hasAttachment: false), jar));
        }

        return opened;
    }

    /// <summary>Phase 2: send each form once; those answered with the redirect to their receipt come back.</summary>
    public async Task<List<Pending>> PostFormsAsync(List<Pending> forms, CancellationToken cancellationToken)
    {
        var sent = new List<Pending>();
        foreach (var form in forms)
        {
            form.Record.Posts++;
            var response = await SendAsync(HttpMethod.Post, form.Path, Body(form.Fields, false), form.Jar, "split POST tip", false, cancellationToken);
            if (response is { Status: HttpStatusCode.Redirect, Location: "/tips/receipt" })
            {
                sent.Add(form);
            }
            else
            {
                Stats.Error($"split POST tip {(response is null ? "failed" : ((int)response.Status).ToString(CultureInfo.InvariantCulture))}");
            }
        }

        return sent;
    }

    /// <summary>Phase 3: read each receipt; how many showed their code.</summary>
    public async Task<int> ReadReceiptsAsync(List<Pending> sent, CancellationToken cancellationToken)
    {
        var read = 0;
        foreach (var form in sent)
        {
            if (await ReadReceiptAsync(form.Record, form.Jar, false, cancellationToken))
            {
                read++;
            }
        }

        return read;
    }

    /// <summary>Posts the form until it is acknowledged (a person would press Send again after an error page or a time-out).</summary>
    private async Task<bool> SubmitAsync(
        string path, Dictionary<string, string> fields, FormRecord record, CookieJar jar, string step, bool measured, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= AttemptsPerForm; attempt++)
        {
            lock (record)
            {
                record.Posts++;
            }

            var timedAs = record.HasAttachment && step == "POST tip" ? "POST tip + PNG" : step;
            var response = await SendAsync(HttpMethod.Post, path, Body(fields, record.HasAttachment), jar, timedAs, measured, cancellationToken);
            if (response is { Status: HttpStatusCode.Redirect, Location: "/tips/receipt" })
            {
                return await ReadReceiptAsync(record, jar, measured, cancellationToken);
            }

            if (response is not null)
            {
                var error = response.Status == HttpStatusCode.OK ? FormPage.FirstError(response.Body) : null;
                Stats.Error($"{step} {(int)response.Status}{(error is null ? "" : $" ({error})")}", response.Body);
                if (response.Status is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError))
                {
                    return false;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return false;
    }

    private async Task<bool> ReadReceiptAsync(FormRecord record, CookieJar jar, bool measured, CancellationToken cancellationToken)
    {
        var page = await SendAsync(HttpMethod.Get, "/tips/receipt", null, jar, "GET receipt", measured, cancellationToken);
        var code = page is { Status: HttpStatusCode.OK } ? FormPage.ReceiptCode(page.Body) : null;
        if (code is null)
        {
            Stats.Error($"GET receipt {(page is null ? "failed" : $"{(int)page.Status} without a code")}");
            return false;
        }

        lock (record)
        {
            record.Receipts.Add(code);
        }

        return true;
    }

    private sealed record Answer(HttpStatusCode Status, string? Location, string Body);

    /// <summary>Sends one request and times it; null when it failed without an answer (counted as an error).</summary>
    private async Task<Answer?> SendAsync(
        HttpMethod method, string path, HttpContent? body, CookieJar jar, string step, bool measured, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        jar.AddTo(request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (measured)
            {
                Stats.Latency(step, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            jar.Take(response);
            return new Answer(response.StatusCode, response.Headers.Location?.OriginalString, text);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Stats.Error($"{step} timed out");
        }
        catch (HttpRequestException e)
        {
            Stats.Error($"{step} {e.HttpRequestError}");
        }

        return null;
    }

    private void Fill(Dictionary<string, string> fields)
    {
        var description = new System.Text.StringBuilder();
        var length = _random.Next(80, 800);
        while (description.Length < length)
        {
            description.Append(Words[_random.Next(Words.Length)]).Append(' ');
        }

        fields["Input.Description"] = description.ToString().Trim();
        fields["Input.Place"] = Chance(60) ? $"Quay {_random.Next(1, 40)}, {Words[_random.Next(Words.Length)]} district" : "";
        fields["Input.SightingCountry"] = Countries[_random.Next(Countries.Length)];
        fields["Input.SightedOn"] = Chance(70)
            ? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-_random.Next(0, 60)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : "";
        fields["Input.HowKnown"] = HowKnown[_random.Next(HowKnown.Length)];
        fields["Input.Certainty"] = Certainty[_random.Next(Certainty.Length)];
        fields["Input.WantsContact"] = "false";
        fields["Input.ContactDetails"] = "";
        fields["Input.Website"] = "";
    }

    /// <summary>As a browser sends this form (multipart, because it accepts files).</summary>
    private static MultipartFormDataContent Body(Dictionary<string, string> fields, bool withAttachment)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            var part = new StringContent(value);
            part.Headers.ContentType = null;
            content.Add(part, name);
        }

        if (withAttachment)
        {
            var file = new ByteArrayContent(TinyPng.Bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            content.Add(file, "Input.Attachments", "sighting.png");
        }

        return content;
    }

    private bool Chance(double percent) => _random.NextDouble() * 100 < percent;
}
