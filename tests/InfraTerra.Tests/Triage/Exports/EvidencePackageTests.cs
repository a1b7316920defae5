using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Exports;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Triage.Exports;

/// <summary>Evidence packages over HTTP: what the ZIP holds, that its manifest verifies (also with sha256sum), the cluster's package, the audit, who may have one.</summary>
public sealed class EvidencePackageTests(ExportApp app) : IClassFixture<ExportApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ForgetTipsAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TipPackage_HoldsTheTipItsFileItsConversationAndItsAuditExcerpt_AndTheManifestVerifies()
    {
        var original = TestFiles.Jpeg();
        var tipId = await app.CreateTipAsync("Saw him at the sawmill gate.", "Sawmill road 12", app.File(original));
        await app.AskAsync(tipId, "What colour was his car?");
        await app.AnswerAsync(tipId, "=A red one", app.File(TestFiles.Png()));
        Assert.Equal(HttpStatusCode.OK, (await app.Supervisor.GetAsync($"/triage/tips/{tipId}")).StatusCode);

        var response = await app.Supervisor.GetAsync($"/triage/tips/{tipId}/evidence.zip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Matches(@"^evidence-tip-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.zip$", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var files = Unzip(bytes);
        var folder = $"tip-{tipId}";
        Assert.Equal(
            new[] { "README.txt", EvidencePackage.ManifestName, $"{folder}/tip.json", $"{folder}/conversation.json", $"{folder}/audit.json", $"{folder}/files/file-1.jpg", $"{folder}/files/file-2.png" }.Order(StringComparer.Ordinal),
            files.Keys.Order(StringComparer.Ordinal));
        AssertManifestMatches(files);

        using var tip = JsonDocument.Parse(files[$"{folder}/tip.json"]);
        var root = tip.RootElement;
        Assert.Equal(tipId, root.GetProperty("id").GetGuid());
        Assert.Equal("ZA", root.GetProperty("desk").GetString());
        Assert.Equal("2014-90002", root.GetProperty("notice").GetProperty("reference").GetString());
        Assert.Equal("Saw him at the sawmill gate.", root.GetProperty("tipster").GetProperty("description").GetString());
        Assert.Equal("Sawmill road 12", root.GetProperty("tipster").GetProperty("place").GetString());
        Assert.True(root.GetProperty("tipster").GetProperty("contactDetailsGiven").GetBoolean());
        Assert.DoesNotContain("secret-contact", Encoding.UTF8.GetString(files[$"{folder}/tip.json"]), StringComparison.Ordinal);
        Assert.EndsWith(":00Z", root.GetProperty("submittedAtUtc").GetString(), StringComparison.Ordinal);
        var attachment = root.GetProperty("attachments")[0];
        Assert.Equal(Convert.ToHexStringLower(Fingerprints.Of(app, original)), attachment.GetProperty("originalFingerprint").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[$"{folder}/files/file-1.jpg"])), attachment.GetProperty("sha256").GetString());
        Assert.Equal(2, root.GetProperty("attachments")[1].GetProperty("sentWithMessage").GetInt32());

        using var conversation = JsonDocument.Parse(files[$"{folder}/conversation.json"]);
        var messages = conversation.RootElement.EnumerateArray().ToList();
        Assert.Equal([1, 2], messages.Select(m => m.GetProperty("position").GetInt32()));
        Assert.Equal(ExportApp.SupervisorEmail, messages[0].GetProperty("from").GetString());
        Assert.Equal("What colour was his car?", messages[0].GetProperty("text").GetString());
        Assert.Equal("Tipster", messages[1].GetProperty("from").GetString());
        Assert.Equal("=A red one", messages[1].GetProperty("text").GetString());
        Assert.EndsWith(":00Z", messages[1].GetProperty("sentAtUtc").GetString(), StringComparison.Ordinal);
        Assert.Equal([2], messages[1].GetProperty("files").EnumerateArray().Select(f => f.GetInt32()));

        using var audit = JsonDocument.Parse(files[$"{folder}/audit.json"]);
        var excerpt = audit.RootElement.EnumerateArray().ToList();
        var stored = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.TipId == tipId && r.Action != AuditActions.EvidenceExported).OrderBy(r => r.Sequence).ToListAsync());
        Assert.Equal(stored.Select(r => r.Sequence), excerpt.Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Equal(stored.Select(r => Convert.ToHexStringLower(r.Mac)), excerpt.Select(r => r.GetProperty("mac").GetString()));
        Assert.Contains(excerpt, r => r.GetProperty("action").GetString() == AuditActions.QuestionSent);
        Assert.Contains(excerpt, r => r.GetProperty("action").GetString() == AuditActions.TipViewed);
        foreach (var record in excerpt)
        {
            var sequence = record.GetProperty("sequence").GetInt64();
            var before = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Sequence == sequence - 1).Select(r => r.Mac).SingleAsync());
            Assert.Equal(Convert.ToHexStringLower(before), record.GetProperty("previousMac").GetString());
        }

        var readme = Encoding.UTF8.GetString(files["README.txt"]);
        Assert.Contains(EvidencePackage.VerifyCommand, readme, StringComparison.Ordinal);
        await RunTheDocumentedCommandAsync(bytes);
    }

    [Fact]
    public async Task TipPackage_IsAudited_WithTheFileCountAndTheManifestsHash_BeforeItIsSent()
    {
        var tipId = await app.CreateTipAsync("Seen.", "Here", app.File(TestFiles.Jpeg()));

        var files = Unzip(await (await app.Supervisor.GetAsync($"/triage/tips/{tipId}/evidence.zip")).Content.ReadAsByteArrayAsync());

        var record = await app.ScopedAsync(db => db.AuditRecords.SingleAsync(r => r.TipId == tipId && r.Action == AuditActions.EvidenceExported));
        Assert.Equal(ExportApp.SupervisorEmail, record.ActorName);
        Assert.Equal(
            $"5 files (1 attached), manifest sha256 {Convert.ToHexStringLower(SHA256.HashData(files[EvidencePackage.ManifestName]))}",
            record.Detail);
        Assert.DoesNotContain("Seen", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterPackage_HoldsEveryTipInItsOwnFolder_UnderOneManifest_AndAuditsTheClusterAndEachTip()
    {
        var first = await app.CreateTipAsync("At the port, Monday.", "Port gate", app.File(TestFiles.Jpeg()));
        var second = await app.CreateTipAsync("At the port again, Tuesday.", "Port gate");
        var outside = await app.CreateTipAsync("Not in the cluster.");
        var clusterId = Guid.NewGuid();
        var supervisorId = await app.SupervisorIdAsync();
        await app.ScopedAsync(async db =>
        {
            var noticeId = await db.Notices.Where(n => n.Reference == ExportApp.NoticeReference).Select(n => n.Id).SingleAsync();
            db.TipClusters.Add(new TipCluster { Id = clusterId, NoticeId = noticeId, TipCount = 2, CreatedById = supervisorId, CreatedAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
            return await db.Tips.Where(t => t.Id == first || t.Id == second).ExecuteUpdateAsync(s => s.SetProperty(t => t.ClusterId, clusterId));
        });
        var page = await Html.ParseAsync(await app.Supervisor.GetAsync($"/triage/clusters/{clusterId}"));
        Assert.Equal($"/triage/clusters/{clusterId}/evidence.zip", page.QuerySelector("form#evidence-export")!.GetAttribute("action"));

        var response = await app.Supervisor.GetAsync($"/triage/clusters/{clusterId}/evidence.zip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var files = Unzip(bytes);
        Assert.Contains($"tip-{first}/tip.json", files.Keys);
        Assert.Contains($"tip-{first}/files/file-1.jpg", files.Keys);
        Assert.Contains($"tip-{second}/tip.json", files.Keys);
        Assert.DoesNotContain(files.Keys, k => k.Contains(outside.ToString(), StringComparison.Ordinal));
        Assert.Single(files.Keys, k => k.EndsWith(".sha256", StringComparison.Ordinal));
        AssertManifestMatches(files);
        using var cluster = JsonDocument.Parse(files["cluster.json"]);
        Assert.Equal(clusterId, cluster.RootElement.GetProperty("cluster").GetGuid());
        Assert.Equal(2, cluster.RootElement.GetProperty("tips").GetArrayLength());
        await RunTheDocumentedCommandAsync(bytes);

        var manifestHash = Convert.ToHexStringLower(SHA256.HashData(files[EvidencePackage.ManifestName]));
        var records = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Action == AuditActions.EvidenceExported && r.Detail!.Contains(manifestHash)).ToListAsync());
        Assert.Equal(3, records.Count);
        Assert.Contains(records, r => r.TipId == null && r.Subject == $"cluster {clusterId:N}" && r.Detail!.StartsWith("2 tips, ", StringComparison.Ordinal));
        Assert.Equal(new Guid?[] { first, second }.Order(), records.Where(r => r.TipId != null).Select(r => r.TipId).Order());
    }

    [Fact]
    public async Task Packages_AreForSupervisorsOnly_AndTheButtonTooButAnotherDeskStaysHidden()
    {
        var tipId = await app.CreateTipAsync("Seen.");
        var elsewhere = await app.CreateTipAsync("Elsewhere.");
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == elsewhere).ExecuteUpdateAsync(s => s.SetProperty(t => t.Desk, "KE")));
        var exportsBefore = await app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.EvidenceExported));

        await TriageSetup.AssertForbiddenAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tipId}/evidence.zip"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.ZaOfficer.GetAsync($"/triage/tips/{elsewhere}/evidence.zip")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Supervisor.GetAsync($"/triage/tips/{Guid.NewGuid()}/evidence.zip")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Supervisor.GetAsync($"/triage/clusters/{Guid.NewGuid()}/evidence.zip")).StatusCode);
        Assert.Null((await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tipId}"))).QuerySelector("#evidence-export"));
        Assert.NotNull((await Html.ParseAsync(await app.Supervisor.GetAsync($"/triage/tips/{tipId}"))).QuerySelector("form#evidence-export"));
        Assert.Equal(exportsBefore, await app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.EvidenceExported)));
    }

    private static Dictionary<string, byte[]> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    /// <summary>Every file but the manifest is listed once in it, with its SHA-256 recomputed here.</summary>
    private static void AssertManifestMatches(Dictionary<string, byte[]> files)
    {
        var lines = Encoding.UTF8.GetString(files[EvidencePackage.ManifestName]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var listed = lines.Select(l => l.Split("  ", 2)).ToDictionary(p => p[1], p => p[0]);
        Assert.Equal(files.Keys.Where(k => k != EvidencePackage.ManifestName).Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, hash) in listed)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[path])), hash);
        }
    }

    /// <summary>The README's command, as written, in a scratch folder (where unzip and sha256sum exist: Linux).</summary>
    private static async Task RunTheDocumentedCommandAsync(byte[] zip)
    {
        if (!File.Exists("/usr/bin/sha256sum") || !File.Exists("/usr/bin/unzip"))
        {
            // The manifest was checked in process above; the command itself needs the tools, which CI installs.
            Assert.False(RealParts.InCi, "CI=true but unzip or sha256sum is missing: .ci/run must install them.");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("infraterra-evidence-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "evidence.zip"), zip);
            var start = new ProcessStartInfo("/bin/sh", ["-c", EvidencePackage.VerifyCommand])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output}\n{errors}");
            Assert.Contains("tip.json: OK", output, StringComparison.Ordinal);
            Assert.DoesNotContain("FAILED", output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
