using InfraTerra.Tests.Support;
using InfraTerra.Web.Data;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Captcha;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace InfraTerra.Tests.SharedState;

/// <summary>
/// Claims in the database, for nodes without Redis: the primary key decides between parallel claims
/// on every engine, the loser learns the winner, and expired claims neither block nor stay.
/// </summary>
public sealed class DatabaseCheckClaimsTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Sqlite_ParallelClaims_HaveExactlyOneWinner_WhomEveryLoserLearns()
    {
        using var factory = new AppFactory();
        await RaceAsync(factory);
    }

    [SkippableFact]
    public async Task Postgres_ParallelClaims_HaveExactlyOneWinner_WhomEveryLoserLearns()
    {
        await using var server = await PostgresAsync();
        using var factory = new AppFactory(new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Postgres"] = server.ConnectionString });
        Assert.Equal(0, await OperatorCommands.RunAsync(factory.Services, ["migrate"], TextWriter.Null));

        await RaceAsync(factory);
    }

    [Fact]
    public async Task AnExpiredClaim_NeitherBlocksNorStays_AndThePruneCountsWhatItRemoved()
    {
        using var factory = new AppFactory();
        var claims = new DatabaseCheckClaims(factory.Services.GetRequiredService<IServiceScopeFactory>(), _clock);
        var id = OneTimeUse.Id("altcha", "expiring");
        Assert.Equal("owner-a", await claims.ClaimAsync(id, "owner-a", _clock.GetUtcNow().AddMinutes(20), CancellationToken.None));
        Assert.Equal("owner-a", await claims.ClaimAsync(OneTimeUse.Id("altcha", "kept"), "owner-a", _clock.GetUtcNow().AddHours(2), CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Null(await claims.HolderOfAsync(id, CancellationToken.None));
        _clock.Advance(ICheckClaims.KeptAfterExpiry);
        Assert.Equal("owner-b", await claims.ClaimAsync(id, "owner-b", _clock.GetUtcNow().AddMinutes(20), CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(21) + ICheckClaims.KeptAfterExpiry);
        var removed = await factory.ScopedAsync(db => DatabaseCheckClaims.PruneExpiredAsync(db, _clock.GetUtcNow().UtcDateTime, CancellationToken.None));

        Assert.Equal(1, removed);
        Assert.Equal([OneTimeUse.Id("altcha", "kept")], await factory.ScopedAsync(db => db.CheckClaims.Select(c => c.Id).ToListAsync()));
    }

    [Fact]
    public async Task AnExpiredClaim_IsKeptForTheClockMargin_SoANodeWhoseClockIsBehindStillFindsItsHolder()
    {
        using var factory = new AppFactory();
        // This node's clock is ahead: for a node 5 minutes behind, the check is still valid.
        var claims = new DatabaseCheckClaims(factory.Services.GetRequiredService<IServiceScopeFactory>(), _clock);
        var id = OneTimeUse.Id("altcha", "skewed");
        Assert.Equal("owner-a", await claims.ClaimAsync(id, "owner-a", _clock.GetUtcNow().AddMinutes(20), CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(25));

        var pruned = await factory.ScopedAsync(db => DatabaseCheckClaims.PruneExpiredAsync(db, _clock.GetUtcNow().UtcDateTime, CancellationToken.None));
        var behind = new DatabaseCheckClaims(factory.Services.GetRequiredService<IServiceScopeFactory>(), new FakeTimeProvider(_clock.GetUtcNow().AddMinutes(-6)));

        Assert.Equal(0, pruned);
        Assert.Equal("owner-a", await claims.ClaimAsync(id, "owner-b", _clock.GetUtcNow().AddMinutes(20), CancellationToken.None));
        Assert.Equal("owner-a", await behind.HolderOfAsync(id, CancellationToken.None));
        Assert.Equal("owner-a", await behind.ClaimAsync(id, "owner-c", _clock.GetUtcNow().AddMinutes(-6 + 20), CancellationToken.None));
    }

    [SkippableFact]
    public async Task Postgres_Down_AClaimThrowsAsTheDatabaseBeingUnavailable_NeverPasses()
    {
        var server = await ThrowawayPostgres.StartAsync();
        await using (server)
        {
            using var factory = new AppFactory(new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Postgres"] = server.ConnectionString });
            Assert.Equal(0, await OperatorCommands.RunAsync(factory.Services, ["migrate"], TextWriter.Null));
            var claims = new DatabaseCheckClaims(factory.Services.GetRequiredService<IServiceScopeFactory>(), _clock);
            await server.StopAsync();

            var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
                claims.ClaimAsync(OneTimeUse.Id("altcha", "down"), "owner", _clock.GetUtcNow().AddMinutes(20), CancellationToken.None));
            Assert.True(DatabaseFailures.IsUnavailable(failure), failure.ToString());
        }
    }

    private async Task RaceAsync(AppFactory factory)
    {
        var claims = new DatabaseCheckClaims(factory.Services.GetRequiredService<IServiceScopeFactory>(), _clock);
        var id = OneTimeUse.Id("altcha", Guid.NewGuid().ToString("N"));
        var expires = _clock.GetUtcNow().AddMinutes(20);
        using var start = new ManualResetEventSlim();

        var holders = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await claims.ClaimAsync(id, $"owner-{i}", expires, CancellationToken.None);
        })).Append(Task.Run(() =>
        {
            start.Set();
            return "";
        })));

        var winner = Assert.Single(holders.Where(h => h.Length > 0).Distinct());
        Assert.Equal(winner, await claims.HolderOfAsync(id, CancellationToken.None));
        var row = Assert.Single(await factory.ScopedAsync(db => db.CheckClaims.Where(c => c.Id == id).ToListAsync()));
        Assert.Equal(winner, row.Owner);
    }

    /// <summary>The shared server when one is configured (a database of this test's own on it), else a throwaway one.</summary>
    private static async Task<PostgresDatabase> PostgresAsync()
    {
        if (Environment.GetEnvironmentVariable("INFRATERRA_TEST_POSTGRES") is not { Length: > 0 })
        {
            var own = await ThrowawayPostgres.StartAsync();
            return new PostgresDatabase(own.ConnectionString, own);
        }

        var server = RealParts.RequirePostgres();
        var database = "infraterra_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new PostgresDatabase(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString, null);
    }

    private sealed record PostgresDatabase(string ConnectionString, ThrowawayPostgres? Server) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Server?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
