using System.Net;
using AngleSharp.Dom;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InfraTerra.Tests.Triage;

/// <summary>
/// The Supervisors' dashboard: figures checked against tips made with known desks, statuses, grades
/// and times; the date and desk filters; the 400 on a bad filter; Supervisors only; each chart's
/// SVG matching its table.
/// </summary>
public sealed class DashboardTests(DashboardTests.App app) : IClassFixture<DashboardTests.App>, IAsyncLifetime
{
    public const string Range = "from=2026-08-01&to=2026-08-03";

    public async Task InitializeAsync()
    {
        await app.ScopedAsync(db => db.TipOutcomes.ExecuteDeleteAsync());
        await app.ForgetTipsAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Dashboard_CountsKnownTips_ByDayStatusNoticeDeskAndGrade_WithMediansOverdueAndOutcomes()
    {
        await SeedAsync(app);

        await AssertFiguresAsync(app.Supervisor);
    }

    [Fact]
    public async Task Dashboard_FilteredByDesk_CountsOnlyThatDesk_AndByDateRange_OnlyThoseDays()
    {
        await SeedAsync(app);

        var kenya = await PageAsync(app.Supervisor, $"/triage/dashboard?{Range}&desk=ke");
        Assert.Equal("3", kenya.QuerySelector("#dashboard-total")!.TextContent);
        Assert.Equal(Rows(("KE", 3)), TableOf(kenya, "chart-desk"));
        Assert.Equal(Rows(("2026-08-01", 2), ("2026-08-02", 1), ("2026-08-03", 0)), TableOf(kenya, "chart-per-day"));
        Assert.Contains("2 hours", kenya.QuerySelector("#median-first-action")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(Rows(("INFRA-Terra (sample)", 1)), TableOf(kenya, "chart-outcomes"));

        var oneDay = await PageAsync(app.Supervisor, "/triage/dashboard?from=2026-08-02&to=2026-08-02");
        Assert.Equal("2", oneDay.QuerySelector("#dashboard-total")!.TextContent);
        Assert.Equal(Rows(("2026-08-02", 2)), TableOf(oneDay, "chart-per-day"));
        Assert.Equal(Rows(("INFRA-Terra (sample)", 1)), TableOf(oneDay, "chart-outcomes"));
    }

    [Fact]
    public async Task Dashboard_IsKeptForAMinute_AndSaysAsOfWhen()
    {
        await SeedAsync(app);
        var first = await PageAsync(app.Supervisor, $"/triage/dashboard?{Range}");
        await TriageSetup.AddTipAsync(app, "2014-90001", t => t.SubmittedAtUtc = new DateTime(2026, 8, 1, 9, 0, 0, DateTimeKind.Utc));

        var second = await PageAsync(app.Supervisor, $"/triage/dashboard?{Range}");

        Assert.Equal("5", first.QuerySelector("#dashboard-total")!.TextContent);
        Assert.Equal("5", second.QuerySelector("#dashboard-total")!.TextContent);
        Assert.Matches(@"Figures as of \d\d:\d\d UTC", second.QuerySelector("#dashboard-as-of")!.TextContent);
    }

    [Theory]
    [InlineData("from=2026-13-01", "From is a day written yyyy-mm-dd")]
    [InlineData("to=yesterday", "To is a day written yyyy-mm-dd")]
    [InlineData("from=2026-08-05&to=2026-08-01", "From must be on or before To.")]
    [InlineData("from=2024-01-01&to=2026-08-01", "The range can be at most 366 days")]
    [InlineData("desk=KEN", "A desk is a two-letter country code or GENERAL.")]
    [InlineData("desk=KE&desk=ZA", "Give each filter once: desk was given more than once.")]
    public async Task Dashboard_WithABadFilter_Is400_NamingIt(string query, string error)
    {
        var response = await app.Supervisor.GetAsync($"/triage/dashboard?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(error, page.QuerySelector("#dashboard-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("svg"));
    }

    [Fact]
    public async Task Dashboard_IsForSupervisorsOnly()
    {
        await TriageSetup.AssertForbiddenAsync(await app.Officer.GetAsync("/triage/dashboard"));
        Assert.Null((await PageAsync(app.Officer, "/triage")).QuerySelector("#dashboard-link"));
        Assert.Equal(HttpStatusCode.OK, (await app.Supervisor.GetAsync("/triage/dashboard")).StatusCode);
        Assert.NotNull((await PageAsync(app.Supervisor, "/triage")).QuerySelector("a#dashboard-link[href='/triage/dashboard']"));
    }

    /// <summary>
    /// Five tips from 1 to 3 August 2026 (so both deadlines have passed) and one outside the range:
    /// three on the Kenyan desk (notice 2014-90001), one South African (2014-90002), one General.
    /// </summary>
    internal static async Task SeedAsync(AppFactory factory)
    {
        static DateTime At(int day, int hour) => new(2026, 8, day, hour, 0, 0, DateTimeKind.Utc);

        await TriageSetup.AddTipAsync(factory, "2014-90001", t => t.SubmittedAtUtc = At(1, 10));
        var answered = await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
        {
            t.SubmittedAtUtc = At(1, 11);
            t.Status = TipStatus.InReview;
            (t.SourceGrade, t.InformationGrade) = (SourceReliability.B, InformationCredibility.KnownPersonally);
            t.FirstActionAtUtc = At(1, 13);
            t.FeedbackGivenAtUtc = At(2, 17);
        });
        await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
        {
            t.SubmittedAtUtc = At(2, 9);
            t.Status = TipStatus.Actionable;
            (t.SourceGrade, t.InformationGrade) = (SourceReliability.B, InformationCredibility.KnownPersonally);
            t.FirstActionAtUtc = At(2, 13).AddMinutes(30);
        });
        await TriageSetup.AddTipAsync(factory, "2014-90002", t =>
        {
            t.SubmittedAtUtc = At(2, 12);
            t.Status = TipStatus.Closed;
            (t.SourceGrade, t.InformationGrade) = (SourceReliability.A, InformationCredibility.NotInDoubt);
            t.FirstActionAtUtc = At(2, 22);
        });
        var general = await TriageSetup.AddTipAsync(factory, null, t =>
        {
            t.SubmittedAtUtc = At(3, 8);
            t.Status = TipStatus.NotActionable;
            (t.SourceGrade, t.InformationGrade) = (SourceReliability.C, InformationCredibility.CannotBeCorroborated);
            t.FirstActionAtUtc = At(3, 8).AddMinutes(40);
        });
        await TriageSetup.AddTipAsync(factory, "2014-90001", t => t.SubmittedAtUtc = At(5, 10));

        await factory.ScopedAsync(async db =>
        {
            var kenyan = await db.Notices.Where(n => n.Reference == "2014-90001").Select(n => n.Id).SingleAsync();
            TipOutcome Outcome(Guid tip, int? notice, OutcomeKind kind, DateOnly day) => new()
            {
                Id = Guid.NewGuid(),
                TipId = tip,
                NoticeId = notice,
                Kind = kind,
                OccurredOn = day,
                RecordedById = "test",
                RecordedAtUtc = DateTime.UtcNow,
            };
            db.TipOutcomes.AddRange(
                Outcome(answered, kenyan, OutcomeKind.Arrest, new(2026, 8, 2)),
                Outcome(answered, kenyan, OutcomeKind.AssetsSeized, new(2026, 9, 1)),
                Outcome(general, null, OutcomeKind.NoResult, new(2026, 8, 3)));
            return await db.SaveChangesAsync();
        });
    }

    internal static async Task AssertFiguresAsync(HttpClient supervisor)
    {
        var page = await PageAsync(supervisor, $"/triage/dashboard?{Range}");

        Assert.Equal("5", page.QuerySelector("#dashboard-total")!.TextContent);
        Assert.Equal(Rows(("2026-08-01", 2), ("2026-08-02", 2), ("2026-08-03", 1)), TableOf(page, "chart-per-day"));
        Assert.Equal(
            Rows(("New", 1), ("In review", 1), ("Actionable", 1), ("Forwarded", 0), ("Not actionable", 1), ("Duplicate", 0), ("Closed", 1)),
            TableOf(page, "chart-status"));
        Assert.Equal(Rows(("KE", 3), ("General", 1), ("ZA", 1)), TableOf(page, "chart-desk"));
        var notices = TableOf(page, "chart-notice");
        Assert.Equal(3, notices.Count);
        Assert.Contains("(2014-90001)", notices[0].Label, StringComparison.Ordinal);
        Assert.Equal(3, notices[0].Value);
        Assert.Contains(notices, n => n.Label.Contains("(2014-90002)", StringComparison.Ordinal) && n.Value == 1);
        Assert.Contains(notices, n => n.Label == "No notice (general reports)" && n.Value == 1);
        var grades = TableOf(page, "chart-grade").Where(g => g.Value > 0).ToList();
        Assert.Equal(Rows(("A1", 1), ("B2", 2), ("C4", 1), ("Not graded", 1)), grades);

        // First actions after 2, 4.5, 10 and 0.67 hours: the median of four, to the hour, is 2 (half acted on within 2 hours).
        Assert.Contains("2 hours", page.QuerySelector("#median-first-action")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("4 tips acted on", page.QuerySelector("#median-first-action")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("30 hours", page.QuerySelector("#median-feedback")!.TextContent, StringComparison.Ordinal);

        // Nobody acted on the New tip; the New and Actionable ones never had feedback (closing statuses meet it).
        Assert.Equal("1", page.QuerySelector("#overdue-acknowledge td")!.TextContent);
        Assert.Equal("2", page.QuerySelector("#overdue-feedback td")!.TextContent);

        Assert.Equal(Rows(("INFRA-Terra (sample)", 1), ("No operation", 1)), TableOf(page, "chart-outcomes"));
        var byKind = page.QuerySelectorAll("#outcomes-by-kind tbody tr").Select(r => string.Join("|", r.Children.Select(c => c.TextContent))).ToList();
        Assert.Equal(["INFRA-Terra (sample)|0|1|0|0", "No operation|0|0|0|1"], byKind);

        foreach (var chart in page.QuerySelectorAll("figure.chart"))
        {
            var svg = chart.QuerySelector("svg")!;
            Assert.Equal("img", svg.GetAttribute("role"));
            foreach (var id in svg.GetAttribute("aria-labelledby")!.Split(' '))
            {
                Assert.NotNull(svg.QuerySelector($"[id='{id}']"));
            }

            var bars = svg.QuerySelectorAll("rect.chart-bar").Select(r => (r.GetAttribute("data-label")!, long.Parse(r.GetAttribute("data-value")!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
            Assert.Equal(TableOf(page, chart.Id!).Select(r => (r.Label, r.Value)).ToList(), bars);
            Assert.NotNull(chart.QuerySelector("table caption"));
            Assert.All(chart.QuerySelectorAll("tbody th"), th => Assert.Equal("row", th.GetAttribute("scope")));
        }
    }

    private static async Task<IDocument> PageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Html.ParseAsync(response);
    }

    private static List<(string Label, long Value)> Rows(params (string, long)[] rows) => [.. rows];

    private static List<(string Label, long Value)> TableOf(IDocument page, string chartId) =>
        [.. page.QuerySelectorAll($"#{chartId}-table tbody tr").Select(r => (r.QuerySelector("th")!.TextContent, long.Parse(r.QuerySelector("td")!.TextContent, System.Globalization.CultureInfo.InvariantCulture)))];

    public sealed class App : AppFactory, IAsyncLifetime
    {
        public App() => ExtraServices = services => services.AddSingleton<TimeProvider>(Clock);

        public TestClock Clock { get; } = new();

        public HttpClient Supervisor { get; private set; } = null!;
        public HttpClient Officer { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Supervisor = await Officers.SignInFirstTimeAsync(this, "dashboard.supervisor@example.org", Roles.Supervisor);
            Officer = await Officers.SignInFirstTimeAsync(this, "dashboard.officer@example.org", Roles.Officer);
            await TriageSetup.AddDeskAsync(this, "dashboard.officer@example.org", "KE");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }
}

/// <summary>The same figures from PostgreSQL: every query is an aggregate the server engine must translate too.</summary>
public sealed class PostgresDashboardTests
{
    [SkippableFact]
    public async Task Dashboard_OnPostgres_GivesTheSameFigures()
    {
        var server = RealParts.RequirePostgres();
        var database = "infraterra_dash_" + Guid.NewGuid().ToString("N")[..12];
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
                Assert.Equal(0, await InfraTerra.Web.Infrastructure.OperatorCommands.RunAsync(factory.Services, ["migrate"], output));
                Assert.Equal(0, await InfraTerra.Web.Infrastructure.OperatorCommands.RunAsync(factory.Services, ["seed-demo"], output));
            }

            var supervisor = await Officers.SignInFirstTimeAsync(factory, "pg-dashboard@example.org", Roles.Supervisor);
            await DashboardTests.SeedAsync(factory);

            await DashboardTests.AssertFiguresAsync(supervisor);
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
