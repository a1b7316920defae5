using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Audit;

/// <summary>The operator's <c>audit-verify</c> against a log tampered with directly in the database.</summary>
public sealed class AuditVerifyCommandTests
{
    [Fact]
    public async Task IntactLog_Exits0_AndNamesTheLastRecordAndItsMac()
    {
        using var factory = new AppFactory();
        await AuditSetup.AppendAsync(factory, 10);

        var (exit, output) = await RunAsync(factory, "audit-verify");

        Assert.Equal(0, exit);
        Assert.Contains("Audit log intact: 10 records, last #10 at ", output, StringComparison.Ordinal);
        var head = factory.Scoped(db => db.AuditRecords.Single(r => r.Sequence == 10).Mac);
        Assert.Contains($"Head MAC: {Convert.ToHexStringLower(head)}", output, StringComparison.Ordinal);
        Assert.Contains("--expect-at-least", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyLog_IsIntact()
    {
        using var factory = new AppFactory();

        var (exit, output) = await RunAsync(factory, "audit-verify");

        Assert.Equal(0, exit);
        Assert.Contains("Audit log intact: 0 records", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADetailChangedWithRawSql_IsNamedBySequence()
    {
        using var factory = new AppFactory();
        await AuditSetup.AppendAsync(factory, 10);
        await factory.ScopedAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE AuditRecords SET Detail = 'nothing happened' WHERE Sequence = 4"));

        var (exit, output) = await RunAsync(factory, "audit-verify");

        Assert.Equal(1, exit);
        Assert.Contains("#4: record 4 was changed", output, StringComparison.Ordinal);
        Assert.Single(ProblemLines(output));
    }

    [Fact]
    public async Task AMiddleRecordDeleted_IsReportedAsAGap()
    {
        using var factory = new AppFactory();
        await AuditSetup.AppendAsync(factory, 10);
        await factory.ScopedAsync(db => db.AuditRecords.Where(r => r.Sequence == 6).ExecuteDeleteAsync());

        var (exit, output) = await RunAsync(factory, "audit-verify");

        Assert.Equal(1, exit);
        Assert.Contains("#6: record 6 is missing", output, StringComparison.Ordinal);
        Assert.Single(ProblemLines(output));
    }

    [Theory]
    [InlineData(3, 8)]
    [InlineData(5, 6)]
    public async Task TwoRecordsSwapped_AreReportedAsMoved(long first, long second)
    {
        using var factory = new AppFactory();
        await AuditSetup.AppendAsync(factory, 10);
        await factory.ScopedAsync(async db =>
        {
            var a = await db.AuditRecords.SingleAsync(r => r.Sequence == first);
            var b = await db.AuditRecords.SingleAsync(r => r.Sequence == second);
            (a.AtUtc, b.AtUtc) = (b.AtUtc, a.AtUtc);
            (a.ActorId, b.ActorId) = (b.ActorId, a.ActorId);
            (a.ActorName, b.ActorName) = (b.ActorName, a.ActorName);
            (a.Action, b.Action) = (b.Action, a.Action);
            (a.TipId, b.TipId) = (b.TipId, a.TipId);
            (a.Subject, b.Subject) = (b.Subject, a.Subject);
            (a.Detail, b.Detail) = (b.Detail, a.Detail);
            (a.Mac, b.Mac) = (b.Mac, a.Mac);
            return await db.SaveChangesAsync();
        });

        var (exit, output) = await RunAsync(factory, "audit-verify");

        Assert.Equal(1, exit);
        Assert.Contains($"#{first}: record {first} was moved: it holds the record written as number {second}.", output, StringComparison.Ordinal);
        Assert.Contains($"#{second}: record {second} was moved: it holds the record written as number {first}.", output, StringComparison.Ordinal);
        Assert.Equal(2, ProblemLines(output).Count);
    }

    [Fact]
    public async Task ARecordForged_WithoutTheKey_IsNamed()
    {
        using var factory = new AppFactory();
        await AuditSetup.AppendAsync(factory, 4);
        await factory.ScopedAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO AuditRecords (Sequence, AtUtc, ActorName, Action, Mac) VALUES (5, '2026-12-01 10:00:00', 'nobody', 'tip.viewed', X'00')"));

        var (exit, output) = await RunAsync(factory, "audit-verify");

        Assert.Equal(1, exit);
        Assert.Contains("#5: record 5 was changed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordInsertedBeforeTheFirst_IsNamed()
    {
        using var factory = new AppFactory();
        await AuditSetup.AppendAsync(factory, 3);
        await factory.ScopedAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO AuditRecords (Sequence, AtUtc, ActorName, Action, Mac) VALUES (0, '2026-12-01 10:00:00', 'nobody', 'tip.viewed', X'00')"));

        var (exit, output) = await RunAsync(factory, "audit-verify");

        Assert.Equal(1, exit);
        Assert.Contains("#0: record 0 was inserted", output, StringComparison.Ordinal);
        Assert.Single(ProblemLines(output));
    }

    [Fact]
    public async Task TheNewestRecordsRemoved_PassTheChain_ButNotExpectAtLeast()
    {
        using var factory = new AppFactory();
        await AuditSetup.AppendAsync(factory, 10);
        await factory.ScopedAsync(db => db.AuditRecords.Where(r => r.Sequence > 7).ExecuteDeleteAsync());

        var (plainExit, _) = await RunAsync(factory, "audit-verify");
        var (exit, output) = await RunAsync(factory, "audit-verify", "--expect-at-least", "10");

        Assert.Equal(0, plainExit);
        Assert.Equal(1, exit);
        Assert.Contains("ends at record 7 but at least 10 were expected", output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync(factory, "audit-verify", "--expect-at-least", "7")).Exit);
        Assert.Equal(2, (await RunAsync(factory, "audit-verify", "--expect-at-least", "ten")).Exit);
    }

    private static List<string> ProblemLines(string output) =>
        output.Split('\n').Where(l => l.StartsWith("  #", StringComparison.Ordinal)).ToList();

    private static async Task<(int Exit, string Output)> RunAsync(AppFactory factory, params string[] args)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, args, output);
        return (exit, output.ToString());
    }
}
