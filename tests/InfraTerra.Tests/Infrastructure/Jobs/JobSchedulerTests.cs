using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InfraTerra.Tests.Infrastructure.Jobs;

/// <summary>
/// Scheduled work runs on one node at a time: two apps on one database (SQLite file, PostgreSQL), each
/// with its own scheduler polling every second, run a due job once; a dead node's lease holds the job
/// until it lapses; a failed run releases its lease.
/// </summary>
public sealed class JobSchedulerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoNodesOnOneSqliteFile_RunADueJobOnce()
    {
        var job = new CountingJob("test-once", TimeSpan.FromSeconds(2));
        using var first = Node("node-a", job, new TestClock());
        _ = first.Services;
        using var second = Node("node-b", job, new TestClock(), first.DatabaseFile);
        _ = second.Services;

        await AssertRunOnceAsync(job, first, second);
    }

    [SkippableFact]
    public async Task TwoNodesOnOnePostgresDatabase_RunADueJobOnce()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var job = new CountingJob("test-once", TimeSpan.FromSeconds(2));
        using var first = Node("node-a", job, new TestClock(), postgres: database.ConnectionString);
        Assert.Equal(0, await OperatorCommands.RunAsync(first.Services, ["migrate"], TextWriter.Null));
        using var second = Node("node-b", job, new TestClock(), postgres: database.ConnectionString);
        _ = second.Services;

        await AssertRunOnceAsync(job, first, second);
    }

    [Fact]
    public async Task ALeaseHeldByADeadNode_KeepsTheJobFromRunning_UntilItLapses_ThenAnotherNodeRunsIt()
    {
        var clock = new TestClock();
        using var first = new AppFactory(new() { ["Node:Name"] = "node-a" });
        _ = first.Services;
        var now = clock.GetUtcNow().UtcDateTime;
        await first.ScopedAsync(async db =>
        {
            db.JobLeases.Add(new JobLease
            {
                Name = "test-held",
                Holder = "dead-node",
                LeasedUntilUtc = now.AddMinutes(10),
                LastStartedAtUtc = now.AddMinutes(-1),
                LastCompletedAtUtc = now.AddDays(-3),
                RunCount = 5,
            });
            return await db.SaveChangesAsync();
        });

        var job = new CountingJob("test-held");
        using var second = Node("node-b", job, clock, first.DatabaseFile);
        _ = second.Services;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, job.Runs);

        clock.Advance(TimeSpan.FromMinutes(11));
        await Eventually(() => job.Runs == 1);
        await Eventually(async () => (await Lease(second, "test-held")).RunCount == 6);
        var row = await Lease(second, "test-held");
        Assert.Null(row.Holder);
        Assert.Null(row.LeasedUntilUtc);
        Assert.True(row.LastCompletedAtUtc > now);
        Assert.Equal("run 1", row.LastResult);
    }

    [Fact]
    public async Task ARunLongerThanItsLease_KeepsItByRenewing_SoTheOtherNodeWaits()
    {
        var job = new CountingJob("test-once", TimeSpan.FromSeconds(14));
        var longer = new Dictionary<string, string?> { ["Jobs:LeaseSeconds"] = "10", ["Jobs:ScoreRefreshEnabled"] = "false" };
        using var first = Node("node-a", job, new TestClock(), extra: longer);
        _ = first.Services;
        using var second = Node("node-b", job, new TestClock(), first.DatabaseFile, extra: longer);
        _ = second.Services;

        await Eventually(async () => (await Lease(first, "test-once")).RunCount >= 1);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(1, job.Runs);
        Assert.Equal(1, (await Lease(second, "test-once")).RunCount);
    }

    [Fact]
    public async Task AJobThatThrows_ReleasesItsLease_AndRunsAgainAtTheNextPoll()
    {
        var job = new CountingJob("test-fails", failFirst: 1);
        using var app = Node("node-a", job, new TestClock());
        _ = app.Services;

        // The lease is 120 s: only a released one lets the second run come within seconds.
        await Eventually(() => job.Runs == 2);
        await Eventually(async () => (await Lease(app, "test-fails")).RunCount == 1);
        var row = await Lease(app, "test-fails");
        Assert.Null(row.Holder);
        Assert.Equal("run 2", row.LastResult);
        var failed = Assert.Single(app.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Error
            && e.MessageTemplate.Text.StartsWith("Scheduled job {Job} failed", StringComparison.Ordinal));
        Assert.Contains("test-fails", failed.RenderMessage(), StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), failed.RenderMessage(), StringComparison.Ordinal);

        // Neither the exception nor its message, which may carry an address, a password or a tip's words.
        Assert.Null(failed.Exception);
        Assert.DoesNotContain(CountingJob.FailureMessage, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedRun_LeavesTheJobDue_WithItsFailureRecorded()
    {
        using var app = new AppFactory(new() { ["Node:Name"] = "node-a" });
        var leases = app.Services.GetRequiredService<JobLeaseStore>();
        var now = DateTime.UtcNow;

        Assert.True(await leases.TryTakeAsync("test-manual", TimeSpan.FromMinutes(2), now, CancellationToken.None));
        Assert.False(await leases.TryTakeAsync("test-manual", TimeSpan.FromMinutes(2), now, CancellationToken.None));
        Assert.True(await leases.FailAsync("test-manual", "failed: IOException", CancellationToken.None));

        var row = await Lease(app, "test-manual");
        Assert.Null(row.LastCompletedAtUtc);
        Assert.Equal(0, row.RunCount);
        Assert.Equal("failed: IOException", row.LastResult);
        Assert.True(await leases.TryTakeAsync("test-manual", TimeSpan.FromMinutes(2), now, CancellationToken.None));
        Assert.True(await leases.CompleteAsync("test-manual", "done", CancellationToken.None));
        Assert.False(await leases.TryTakeAsync("test-manual", TimeSpan.FromMinutes(2), now, CancellationToken.None));
    }

    [SkippableFact]
    public async Task ManyNodesRacingForOneLease_OnPostgres_OneWins_AndTheJobCompletesOnce()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var app = new AppFactory(new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Postgres"] = database.ConnectionString });
        Assert.Equal(0, await OperatorCommands.RunAsync(app.Services, ["migrate"], TextWriter.Null));
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var dueBefore = DateTime.UtcNow;
        using var start = new ManualResetEventSlim();

        // Each racer takes the lease and, having won, completes at once: a racer that read the row before
        // the winner's completion must not take it again (the due condition is part of the update).
        var racers = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            var leases = new JobLeaseStore(scopes, new("racer-" + i), TimeProvider.System);
            start.Wait();
            if (!await leases.TryTakeAsync("test-race", TimeSpan.FromMinutes(2), dueBefore, CancellationToken.None))
            {
                return false;
            }

            Assert.True(await leases.CompleteAsync("test-race", "racer-" + i, CancellationToken.None));
            return true;
        })).ToList();
        start.Set();
        var won = await Task.WhenAll(racers);

        Assert.Single(won, w => w);
        var row = await Lease(app, "test-race");
        Assert.Equal(1, row.RunCount);
        Assert.Null(row.Holder);
    }

    [Fact]
    public async Task TheClaimsPrune_DeletesClaimsExpiredBeyondTheClockMargin_AndKeepsTheOthers()
    {
        using var app = new AppFactory();
        var now = DateTime.UtcNow;
        await app.ScopedAsync(async db =>
        {
            db.CheckClaims.AddRange(
                new CheckClaim { Id = "expired-1", Owner = "o", ExpiresAtUtc = now.AddMinutes(-15) },
                new CheckClaim { Id = "expired-2", Owner = "o", ExpiresAtUtc = now.AddDays(-2) },
                new CheckClaim { Id = "within-margin", Owner = "o", ExpiresAtUtc = now.AddMinutes(-5) },
                new CheckClaim { Id = "live", Owner = "o", ExpiresAtUtc = now.AddMinutes(5) });
            return await db.SaveChangesAsync();
        });

        Assert.Equal(2, await app.Services.GetRequiredService<ClaimsPruneJob>().RunOnceAsync(CancellationToken.None));

        Assert.Equal(["live", "within-margin"], await app.ScopedAsync(db => db.CheckClaims.Select(c => c.Id).OrderBy(i => i).ToListAsync()));
    }

    [Theory]
    [InlineData("Jobs:PollSeconds", "0", "Jobs:PollSeconds must be a whole number of seconds from 1 to 3600")]
    [InlineData("Jobs:PollSeconds", "3601", "Jobs:PollSeconds must be a whole number of seconds from 1 to 3600")]
    [InlineData("Jobs:LeaseSeconds", "5", "Jobs:LeaseSeconds must be")]
    public void ABadSchedulerSetting_StopsTheAppAtStartUp_NamingTheKey(string key, string value, string message)
    {
        using var factory = new AppFactory(new() { [key] = value });

        var error = Record.Exception(() => factory.Services);

        Assert.NotNull(error);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnIntervalJob_IsDueAgainAfterItsPeriod_LessHalfAPoll()
    {
        var now = new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);

        Assert.Equal(now.AddMinutes(-60).AddSeconds(15), new JobSchedule.Every(TimeSpan.FromMinutes(60)).DueIfCompletedBefore(now, TimeSpan.FromSeconds(30)));
        Assert.Equal(now.AddSeconds(-7.5), new JobSchedule.Every(TimeSpan.FromSeconds(15)).DueIfCompletedBefore(now, TimeSpan.FromSeconds(15)));
    }

    private static async Task AssertRunOnceAsync(CountingJob job, AppFactory first, AppFactory second)
    {
        await Eventually(async () => (await Lease(first, "test-once")).RunCount >= 1 && (await Lease(first, "score-refresh")).RunCount >= 1);

        // Several more polls of both nodes: nothing runs again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, job.Runs);
        var once = await Lease(second, "test-once");
        Assert.Equal(1, once.RunCount);
        Assert.Null(once.Holder);
        Assert.Equal("run 1", once.LastResult);
        var refresh = await Lease(second, "score-refresh");
        Assert.Equal(1, refresh.RunCount);
        Assert.Equal(1, Count(first, "Priority scores refreshed") + Count(second, "Priority scores refreshed"));
    }

    private static int Count(AppFactory app, string message) =>
        app.Logs.Events.Count(e => e.RenderMessage().StartsWith(message, StringComparison.Ordinal));

    /// <summary>An app whose scheduler polls every second, runs the score refresh and <paramref name="job"/>, on its own file or another's.</summary>
    private static AppFactory Node(
        string name, CountingJob job, TestClock clock, string? sqliteFile = null, string? postgres = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Node:Name"] = name,
            ["Jobs:PollSeconds"] = "1",
            ["Jobs:ScoreRefreshEnabled"] = "true",
        };
        if (sqliteFile is not null)
        {
            settings["ConnectionStrings:Sqlite"] = $"Data Source={sqliteFile}";
        }

        if (postgres is not null)
        {
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Postgres"] = postgres;
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new AppFactory(settings)
        {
            ExtraServices = s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IScheduledJob>(job),
        };
    }

    private static async Task<JobLease> Lease(AppFactory app, string name) =>
        await app.ScopedAsync(async db => await db.JobLeases.AsNoTracking().SingleOrDefaultAsync(j => j.Name == name) ?? new JobLease { Name = name });

    private static Task Eventually(Func<bool> condition) => Eventually(() => Task.FromResult(condition()));

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "The condition did not hold in time.");
            await Task.Delay(100);
        }
    }

    /// <summary>A daily job (due at once: it never ran) that counts its runs across every node it is registered on.</summary>
    private sealed class CountingJob(string name, TimeSpan? takes = null, int failFirst = 0) : IScheduledJob
    {
        public const string FailureMessage = "a failure of the test's own, from 203.0.113.9";

        private int _runs;

        public int Runs => Volatile.Read(ref _runs);
        public string Name => name;
        public bool Enabled => true;
        public JobSchedule Schedule => new JobSchedule.Daily(0);

        public async Task<string> RunAsync(CancellationToken cancellationToken)
        {
            var run = Interlocked.Increment(ref _runs);
            if (takes is { } duration)
            {
                await Task.Delay(duration, cancellationToken);
            }

            return run <= failFirst ? throw new InvalidOperationException(FailureMessage) : $"run {run}";
        }
    }

    /// <summary>A database of the test's own on the PostgreSQL server of <see cref="RealParts.RequirePostgres"/>, dropped at the end.</summary>
    private sealed class PostgresDatabase(string server, string name) : IAsyncDisposable
    {
        public string ConnectionString => new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;

        public static async Task<PostgresDatabase> CreateAsync()
        {
            var server = RealParts.RequirePostgres();
            var name = "infraterra_test_" + Guid.NewGuid().ToString("N")[..12];
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
            return new PostgresDatabase(server, name);
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
