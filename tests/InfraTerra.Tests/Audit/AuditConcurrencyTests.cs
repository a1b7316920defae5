using InfraTerra.Tests.Support;
using InfraTerra.Web.Data;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InfraTerra.Tests.Audit;

/// <summary>Appends racing each other from separate scopes (as concurrent requests do) still make one unbroken chain.</summary>
public sealed class AuditConcurrencyTests
{
    private const int Appends = 20;

    [Fact]
    public async Task TwentyAppendsAtOnce_OnSqlite_LeaveNoGap_AndTheChainVerifies()
    {
        using var factory = new AppFactory();

        await AppendAtOnceAndVerifyAsync(factory);
    }

    [Fact]
    public async Task AnAppendInsideATransaction_DoesNotWaitForAnAppenderBlockedOnThatTransaction()
    {
        using var factory = new AppFactory(new() { ["Database:SqliteBusyTimeoutSeconds"] = "5" });
        await using var holder = factory.Services.CreateAsyncScope();
        var db = holder.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Tips.Where(t => t.AnswerUnread).ExecuteUpdateAsync(s => s.SetProperty(t => t.AnswerUnread, false));

        // Another request's append now waits for this transaction's write lock, holding the node's turn.
        var waiting = Task.Run(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(
                new AuditEntry(new AuditActor("other", "other@example.org"), AuditActions.TipViewed, Guid.NewGuid()));
        });
        await Task.Delay(500);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await holder.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(
            new AuditEntry(new AuditActor("holder", "holder@example.org"), AuditActions.NoteAdded, Guid.NewGuid()));
        await transaction.CommitAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"the append inside the transaction waited {clock.Elapsed}");
        var other = await waiting;
        Assert.True(other.Sequence > 0);
    }

    [SkippableFact]
    public async Task TwentyAppendsAtOnce_OnPostgres_LeaveNoGap_AndTheChainVerifies()
    {
        var server = RealParts.RequirePostgres();
        var database = "infraterra_audit_" + Guid.NewGuid().ToString("N")[..12];
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
            }

            await AppendAtOnceAndVerifyAsync(factory);
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

    private static async Task AppendAtOnceAndVerifyAsync(AppFactory factory)
    {
        var before = factory.Scoped(db => db.AuditRecords.Count());
        using var start = new ManualResetEventSlim();
        var appends = Enumerable.Range(0, Appends).Select(i => Task.Run(async () =>
        {
            start.Wait();
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(
                new AuditEntry(new AuditActor("racer", "racer@example.org"), AuditActions.TipViewed, Guid.NewGuid(), Detail: "race " + i));
        })).ToList();
        start.Set();
        var records = await Task.WhenAll(appends);

        var sequences = factory.Scoped(db => db.AuditRecords.OrderBy(r => r.Sequence).Select(r => r.Sequence).ToList());
        Assert.Equal(Enumerable.Range(1, before + Appends).Select(i => (long)i), sequences);
        Assert.Equal(Appends, records.Select(r => r.Sequence).Distinct().Count());

        await using var scope = factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync();
        Assert.True(result.Intact, string.Join(Environment.NewLine, result.Problems));
        Assert.Equal(before + Appends, result.Checked);
    }
}
