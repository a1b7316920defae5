using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Features.Triage.Exports;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InfraTerra.Tests.Triage.Exports;

/// <summary>Both exports on the server engine: their queries (chunks by id, sub-selects, audit excerpts) run on PostgreSQL too.</summary>
public sealed class ExportsOnPostgresTests
{
    [SkippableFact]
    public async Task CsvAndEvidencePackage_OnPostgres()
    {
        var server = RealParts.RequirePostgres();
        var database = "infraterra_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            using var factory = new AppFactory(new()
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString,
            });
            using (var output = new StringWriter())
            {
                Assert.Equal(0, await OperatorCommands.RunAsync(factory.Services, ["migrate"], output));
                Assert.Equal(0, await OperatorCommands.RunAsync(factory.Services, ["seed-demo"], output));
            }

            var supervisor = await Officers.SignInFirstTimeAsync(factory, "pg-exports@example.org", Roles.Supervisor);
            var original = TestFiles.Jpeg();
            Guid tipId;
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var notice = await scope.ServiceProvider.GetRequiredService<TipNotices>().FindAsync("2014-90006", CancellationToken.None);
                var file = new AttachmentIntake.CleanFile(
                    AttachmentInspector.Inspect(original), scope.ServiceProvider.GetRequiredService<OriginalFileHash>().Of(original), null);
                var store = scope.ServiceProvider.GetRequiredService<TipStore>();
                var receipt = await store.CreateAsync(
                    new TipStore.NewTip(notice, "SN", new DateOnly(2026, 11, 28), new TipContent("@SUM vessel in port", "Dakar, quay 2")),
                    TipStore.NewFormKey(), [file], CancellationToken.None);
                tipId = (await store.FindByReceiptAsync(receipt, CancellationToken.None)).TipId!.Value;
                await store.AppendMessageAsync(tipId, MessageAuthor.Tipster, "It left at dawn.", [], CancellationToken.None);
            }

            var csv = await supervisor.GetAsync("/triage/export.csv?desk=SN");
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            var text = await csv.Content.ReadAsStringAsync();
            Assert.Contains(tipId.ToString(), text, StringComparison.Ordinal);
            Assert.Contains("'@SUM vessel in port", text, StringComparison.Ordinal);

            var zip = await supervisor.GetAsync($"/triage/tips/{tipId}/evidence.zip");
            Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
            using var archive = new ZipArchive(new MemoryStream(await zip.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
            var files = archive.Entries.ToDictionary(e => e.FullName, e =>
            {
                using var stream = e.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            });
            foreach (var line in Encoding.UTF8.GetString(files[EvidencePackage.ManifestName]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split("  ", 2);
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[parts[1]])), parts[0]);
            }

            Assert.Contains($"tip-{tipId}/files/file-1.jpg", files.Keys);
            Assert.Contains("It left at dawn.", Encoding.UTF8.GetString(files[$"tip-{tipId}/conversation.json"]), StringComparison.Ordinal);
            Assert.True(await factory.ScopedAsync(db => db.AuditRecords.AnyAsync(r => r.TipId == tipId && r.Action == AuditActions.EvidenceExported)));
            Assert.True(await factory.ScopedAsync(db => db.AuditRecords.AnyAsync(r => r.TipId == tipId && r.Action == AuditActions.TipExported)));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
