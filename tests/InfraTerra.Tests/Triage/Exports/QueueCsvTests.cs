using System.Net;
using CsvHelper;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Exports;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Triage.Exports;

/// <summary>The queue's filter as CSV, over HTTP: the same rows as the queue, the tipster's text opened, formulas neutralised, the cap, the audit.</summary>
public sealed class QueueCsvTests(ExportApp app) : IClassFixture<ExportApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ForgetTipsAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Export_HasTheQueuesRowsForTheFilter_WithTheHeader_AndWhatTheTipsterWrote()
    {
        var first = await app.CreateTipAsync("Saw him loading ivory at the harbour.", "Quay 4, Durban");
        var second = await app.CreateTipAsync("He drives a blue truck.", "N2 near Umhlanga");
        var closed = await app.CreateTipAsync("Closed already.");
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == closed).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TipStatus.Closed)));

        var response = await app.Supervisor.GetAsync("/triage/export.csv?status=New&desk=za");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var fileName = response.Content.Headers.ContentDisposition!.FileName!.Trim('"');
        Assert.Matches(@"^infraterra-queue-\d{4}-\d{2}-\d{2}\.csv$", fileName);
        Assert.Contains(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), fileName, StringComparison.Ordinal);

        var (header, rows) = await ReadAsync(response);
        Assert.Equal(QueueCsvModel.Header, header);
        var queue = await ListedAsync("/triage?status=New&desk=za");
        Assert.Equal(queue, rows.Select(r => Guid.Parse(r["Tip"])).ToList());
        Assert.Equal(new[] { first, second }.Order(), queue.Order());

        var row = rows.Single(r => r["Tip"] == first.ToString());
        Assert.Equal("Saw him loading ivory at the harbour.", row["Description"]);
        Assert.Equal("Quay 4, Durban", row["Place"]);
        Assert.Equal("2014-90002", row["Notice"]);
        Assert.Equal("ZA", row["Desk"]);
        Assert.Equal("New", row["Status"]);
        Assert.Equal("2026-11-28", row["Sighting day"]);
        Assert.EndsWith($"/triage/tips/{first}", row["Link"], StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:00$", row["Submitted (UTC, to the hour)"]);
        Assert.Equal("On time", row["Acknowledge"]);
        Assert.Equal("0", row["Files"]);
        Assert.Contains("About a wanted person", row["Priority reasons"], StringComparison.Ordinal);
        Assert.DoesNotContain("secret-contact", string.Join(",", rows.SelectMany(r => r.Values)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_NeutralisesFormulaCells_ThatATipsterWrote()
    {
        await app.CreateTipAsync("=1+2", "@SUM(A1:A9)");
        await app.CreateTipAsync("-x", "+x");

        var response = await app.Supervisor.GetAsync("/triage/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, rows) = await ReadAsync(response);
        var cells = rows.SelectMany(r => new[] { r["Description"], r["Place"] }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["'+x", "'-x", "'=1+2", "'@SUM(A1:A9)"], cells);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(",=1+2", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(",@SUM", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_OverTheCap_IsRefusedWithARequestToNarrowTheFilter_AndNothingIsExported()
    {
        for (var i = 0; i < ExportApp.MaxRows + 1; i++)
        {
            await app.CreateTipAsync($"Tip {i}");
        }

        await app.ScopedAsync(db => db.Tips.OrderBy(t => t.Id).Take(1).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TipStatus.InReview)));
        var exportsBefore = await CountAsync(AuditActions.QueueExported);

        var refused = await app.Supervisor.GetAsync("/triage/export.csv");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        Assert.Contains("Narrow the filter", page.QuerySelector("#too-many")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(exportsBefore, await CountAsync(AuditActions.QueueExported));

        var narrowed = await app.Supervisor.GetAsync("/triage/export.csv?status=New");
        Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
        Assert.Equal(ExportApp.MaxRows, (await ReadAsync(narrowed)).Rows.Count);
    }

    [Fact]
    public async Task Export_WithABadFilter_Is400_WithTheQueuesErrors()
    {
        await app.CreateTipAsync("Anything.");

        var response = await app.Supervisor.GetAsync("/triage/export.csv?status=Nope&from=2026-13-01&notice=x");
        var unknownNotice = await app.Supervisor.GetAsync("/triage/export.csv?notice=2099-00000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Html.ParseAsync(response)).QuerySelector("#export-errors")!.TextContent;
        Assert.Contains("Unknown status \"Nope\"", errors, StringComparison.Ordinal);
        Assert.Contains("From is a day written yyyy-mm-dd", errors, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownNotice.StatusCode);
        Assert.Contains("No notice has the reference", (await Html.ParseAsync(unknownNotice)).QuerySelector("#export-errors")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ByAnOfficer_IsForbidden_AndTheLinkIsForSupervisorsOnly()
    {
        await app.CreateTipAsync("Anything.");

        await TriageSetup.AssertForbiddenAsync(await app.ZaOfficer.GetAsync("/triage/export.csv"));
        Assert.Null((await Html.ParseAsync(await app.ZaOfficer.GetAsync("/triage"))).QuerySelector("#export-csv"));
        var link = (await Html.ParseAsync(await app.Supervisor.GetAsync("/triage?desk=za&status=New"))).QuerySelector("#export-csv");
        Assert.Equal("/triage/export.csv?status=New&desk=ZA", link!.GetAttribute("href"));
    }

    [Fact]
    public async Task Export_IsAudited_OneRecordWithTheFilterAndCount_AndOneReadPerTip()
    {
        var first = await app.CreateTipAsync("One.");
        var second = await app.CreateTipAsync("Two.");

        var response = await app.Supervisor.GetAsync("/triage/export.csv?desk=ZA");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ReadAsync(response);

        var export = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Action == AuditActions.QueueExported).OrderByDescending(r => r.Sequence).FirstAsync());
        Assert.Equal("desk=ZA", export.Subject);
        Assert.Equal("2 tips matched", export.Detail);
        Assert.Equal(ExportApp.SupervisorEmail, export.ActorName);
        var reads = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Action == AuditActions.TipExported && r.Sequence > export.Sequence).ToListAsync());
        Assert.Equal(new Guid?[] { first, second }.Order(), reads.Select(r => r.TipId).Order());
        Assert.All(reads, r => Assert.Equal($"queue export, record {export.Sequence}", r.Detail));
    }

    private Task<int> CountAsync(string action) => app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == action));

    private async Task<List<Guid>> ListedAsync(string path)
    {
        var response = await app.Supervisor.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Html.ParseAsync(response)).QuerySelectorAll("table.queue tbody tr")
            .Select(row => Guid.Parse(row.GetAttribute("data-tip-id")!)).ToList();
    }

    private static async Task<(IReadOnlyList<string> Header, List<Dictionary<string, string>> Rows)> ReadAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        using var reader = CsvReader.Create(bytes);
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(reader.Headers.Select((name, i) => (name, i)).ToDictionary(h => h.name, h => reader.GetString(h.i)));
        }

        return ([.. reader.Headers], rows);
    }
}
