using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Notifications;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace InfraTerra.Tests.Triage;

/// <summary>
/// Officers' notifications end to end: tips sent through the real forms, decisions through the real
/// pages, e-mails through the real sender to a real SMTP server in the test, read back off the wire.
/// </summary>
public sealed class NotificationsTests(NotificationsTests.App app) : IClassFixture<NotificationsTests.App>
{
    private const string KenyaNotice = "2014-90001";
    private const string KenyaNoticeName = "Ondrako";

    [Fact]
    public async Task UrgentTipFromThePublicForm_TellsTheDeskAndSupervisors_ByEmail_WithoutAWordOfTheTip()
    {
        var canary = "Canary" + Guid.NewGuid().ToString("N");
        var tip = await SubmitAsync(canary, someoneInDanger: true);

        var told = await NotifiedAsync(tip, NotificationKind.UrgentTipOnDesk);
        Assert.Subset(told.ToHashSet(), new[] { app.KeA.Id, app.KeB.Id, app.Supervisor.Id }.ToHashSet());
        Assert.DoesNotContain(app.Za.Id, told);
        Assert.Equal(told.Count, told.Distinct().Count());

        var arrived = await MailsAboutAsync(tip, told.Count);

        Assert.Subset(arrived.Select(To).ToHashSet(), new[] { app.KeA.Email, app.KeB.Email, app.Supervisor.Email }.ToHashSet());
        Assert.DoesNotContain(app.Za.Email, arrived.Select(To));
        Assert.All(arrived, m =>
        {
            Assert.Equal("InfraTerra: an urgent tip arrived on desk KE", m.Subject);
            Assert.Contains($"https://triage.infraterra.test/triage/tips/{tip}", m.TextBody, StringComparison.Ordinal);
            Assert.Equal("noreply@infraterra.test", ((MailboxAddress)m.From.Single()).Address);
        });
        await AssertNowhereAsync(canary);
        await AssertNowhereAsync(KenyaNoticeName);
    }

    [Fact]
    public async Task TipWithoutDanger_TellsNobody()
    {
        var tip = await SubmitAsync("Seen buying fuel at the harbour.", someoneInDanger: false);

        Assert.Empty(await NotifiedAsync(tip, NotificationKind.UrgentTipOnDesk));
    }

    [Fact]
    public async Task ThreatConfirmedByAnOfficer_TellsTheDeskAndSupervisors_ButNotTheOfficerWhoConfirmed()
    {
        var tip = await SubmitAsync("Seen near the ranger post.", someoneInDanger: false);
        var form = await DecideFormAsync(app.KeA.Client, tip, "decide-threat");
        form["Input.Threat"] = "Confirm";

        var response = await app.KeA.Client.PostAsync($"/triage/tips/{tip}/decide?handler=ThreatToLife", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var told = await NotifiedAsync(tip, NotificationKind.UrgentTipOnDesk);
        Assert.Subset(told.ToHashSet(), new[] { app.KeB.Id, app.Supervisor.Id }.ToHashSet());
        Assert.DoesNotContain(app.KeA.Id, told);
        Assert.DoesNotContain(app.Za.Id, told);
    }

    [Fact]
    public async Task TipsterAnswer_TellsTheOfficerHoldingTheTip_AndNobodyElse()
    {
        var tipster = Clients.New(app);
        var canary = "Canary" + Guid.NewGuid().ToString("N");
        var (posted, fields) = await TipForms.SubmitAsync(tipster, $"/tips/new?notice={KenyaNotice}", f => f["Input.Description"] = "Seen at the ferry.");
        var receipt = await TipForms.ReceiptAsync(tipster, posted);
        var tip = await TipOfAsync(fields);
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).ExecuteUpdateAsync(s => s.SetProperty(t => t.AssignedToId, app.KeA.Id)));

        var opened = await Clients.PostFormAsync(tipster, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        });
        var reply = Html.FormFields(await Html.ParseAsync(opened), "main form");
        reply["Reply.Message"] = canary;
        Assert.Equal(HttpStatusCode.OK, (await tipster.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(reply))).StatusCode);

        Assert.Equal([app.KeA.Id], await NotifiedAsync(tip, NotificationKind.AnswerOnHeldTip));
        var mail = Assert.Single(await MailsAboutAsync(tip, 1));
        Assert.Equal(app.KeA.Email, To(mail));
        Assert.Equal("InfraTerra: a tipster answered on a tip you hold", mail.Subject);
        await AssertNowhereAsync(canary);
    }

    [Fact]
    public async Task HeaderCount_ShowsMyUnreadOnOfficerPages_AndNothingOnPublicPages()
    {
        var officer = await app.OfficerAsync("header", "KE");
        await AddNotificationsAsync(officer.Id, await NewTipAsync(), 3);

        var queue = await Html.ParseAsync(await officer.Client.GetAsync("/triage"));
        Assert.Equal("(3 unread)", queue.QuerySelector("#unread-notifications")!.TextContent.Trim());
        Assert.Equal("/triage/notifications", queue.QuerySelector("#notifications-link")!.GetAttribute("href"));

        foreach (var publicPage in new[] { "/", "/notices", $"/notices/{KenyaNotice}", "/tips/new" })
        {
            var asOfficer = await officer.Client.GetStringAsync(publicPage);
            Assert.DoesNotContain("notifications-link", asOfficer, StringComparison.Ordinal);
            Assert.DoesNotContain("unread-notifications", asOfficer, StringComparison.Ordinal);
        }

        var anonymous = await Clients.New(app).GetStringAsync("/notices");
        Assert.DoesNotContain("/triage/notifications", anonymous, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotificationsPage_ListsMine_MarksOneRead_ThenAll()
    {
        var officer = await app.OfficerAsync("reader", "KE");
        var tip = await NewTipAsync();
        var ids = await AddNotificationsAsync(officer.Id, tip, 3);
        await AddNotificationsAsync(app.KeB.Id, tip, 1);

        var page = await Html.ParseAsync(await officer.Client.GetAsync("/triage/notifications"));
        var rows = page.QuerySelectorAll("#notifications tbody tr");
        Assert.Equal(3, rows.Length);
        Assert.Contains("Urgent tip (threat to life) on your desk", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal($"/triage/tips/{tip}", rows[0].QuerySelector("a")!.GetAttribute("href"));

        var markOne = Html.FormFields(page, $"tr[data-notification-id='{ids[0]}'] form");
        var marked = await officer.Client.PostAsync("/triage/notifications?handler=Read", new FormUrlEncodedContent(markOne));
        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        Assert.NotNull(await ReadAtAsync(ids[0]));
        Assert.Null(await ReadAtAsync(ids[1]));
        var after = await Html.ParseAsync(await officer.Client.GetAsync("/triage/notifications"));
        Assert.Equal("(2 unread)", after.QuerySelector("#unread-notifications")!.TextContent.Trim());

        var all = await officer.Client.PostAsync("/triage/notifications?handler=ReadAll", new FormUrlEncodedContent(Html.FormFields(after, "form#read-all")));
        Assert.Equal(HttpStatusCode.Redirect, all.StatusCode);
        var done = await Html.ParseAsync(await officer.Client.GetAsync("/triage/notifications"));
        Assert.Null(done.QuerySelector("#unread-notifications"));
        Assert.Equal(3, await app.ScopedAsync(db => db.OfficerNotifications.CountAsync(n => n.OfficerId == officer.Id && n.ReadAtUtc != null)));
        Assert.Equal(1, await app.ScopedAsync(db => db.OfficerNotifications.CountAsync(n => n.OfficerId == app.KeB.Id && n.TipId == tip && n.ReadAtUtc == null)));
    }

    [Fact]
    public async Task AnotherOfficer_CannotMarkMyNotificationRead_Answers404()
    {
        var mine = (await AddNotificationsAsync(app.KeA.Id, await NewTipAsync(), 1))[0];
        var page = await Html.ParseAsync(await app.KeB.Client.GetAsync("/triage/notifications"));
        var fields = Html.FormFields(page, "form[action='/account/logout']");
        fields["id"] = mine.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var response = await app.KeB.Client.PostAsync("/triage/notifications?handler=Read", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(await ReadAtAsync(mine));
    }

    [Fact]
    public async Task NotificationAboutATipIMayNoLongerSee_IsNeitherListedNorCounted_AndCannotBeMarked()
    {
        var officer = await app.OfficerAsync("moved", "KE");
        var tip = await NewTipAsync();
        var id = (await AddNotificationsAsync(officer.Id, tip, 1))[0];
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).ExecuteUpdateAsync(s => s.SetProperty(t => t.Desk, "ZA")));

        var page = await Html.ParseAsync(await officer.Client.GetAsync("/triage/notifications"));
        Assert.Empty(page.QuerySelectorAll("#notifications tbody tr"));
        Assert.Null(page.QuerySelector("#unread-notifications"));
        var fields = Html.FormFields(page, "form[action='/account/logout']");
        fields["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.Client.PostAsync("/triage/notifications?handler=Read", new FormUrlEncodedContent(fields))).StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("99999999999999999999999")]
    public async Task NotificationsPage_WithABadCursor_Answers400(string before)
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await app.KeA.Client.GetAsync($"/triage/notifications?before={before}")).StatusCode);
    }

    [Fact]
    public async Task DeadlineRun_WithAFakeClock_TellsOncePerTipAndDeadline_TheHolderOrElseTheDesk()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 10, 12, 0, 0, TimeSpan.Zero));
        var now = clock.GetUtcNow().UtcDateTime;
        var unacknowledged = await NewTipAsync(t => t.SubmittedAtUtc = now.AddDays(-6));
        var acknowledged = await NewTipAsync(t =>
        {
            t.SubmittedAtUtc = now.AddDays(-6);
            t.FirstActionAtUtc = now.AddDays(-5);
        });
        var feedbackDue = await NewTipAsync(t =>
        {
            t.SubmittedAtUtc = now.AddMonths(-3).AddDays(1);
            t.FirstActionAtUtc = now.AddMonths(-3).AddDays(2);
            t.AssignedToId = app.KeA.Id;
            t.Status = TipStatus.InReview;
        });
        var closed = await NewTipAsync(t =>
        {
            t.SubmittedAtUtc = now.AddMonths(-3).AddDays(1);
            t.Status = TipStatus.Closed;
        });

        var first = await RunDeadlinesAsync(clock);
        var second = await RunDeadlinesAsync(clock);

        Assert.True(first >= 3, $"first run added {first}");
        Assert.Equal(0, second);
        var toldToAcknowledge = await NotifiedAsync(unacknowledged, NotificationKind.AcknowledgeDueSoon);
        Assert.Subset(toldToAcknowledge.ToHashSet(), new[] { app.KeA.Id, app.KeB.Id }.ToHashSet());
        Assert.DoesNotContain(app.Za.Id, toldToAcknowledge);
        Assert.DoesNotContain(app.Supervisor.Id, toldToAcknowledge);
        Assert.Equal([app.KeA.Id], await NotifiedAsync(feedbackDue, NotificationKind.FeedbackDueSoon));
        Assert.Empty(await NotifiedAsync(acknowledged, NotificationKind.AcknowledgeDueSoon));
        Assert.Empty(await app.ScopedAsync(db => db.OfficerNotifications.Where(n => n.TipId == closed).ToListAsync()));

        clock.Advance(TimeSpan.FromHours(6));
        Assert.Equal(0, await RunDeadlinesAsync(clock));
        Assert.Equal(toldToAcknowledge.Count, (await NotifiedAsync(unacknowledged, NotificationKind.AcknowledgeDueSoon)).Count);
    }

    private async Task<int> RunDeadlinesAsync(TimeProvider clock)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var reminders = new DeadlineReminders(db, scope.ServiceProvider.GetRequiredService<OfficerNotifier>(), Options.Create(new DeadlineOptions()), clock);
        return await reminders.RunOnceAsync(CancellationToken.None);
    }

    /// <summary>Runs the sender and returns the e-mails about <paramref name="tip"/> once <paramref name="count"/> arrived.</summary>
    private async Task<List<MimeMessage>> MailsAboutAsync(Guid tip, int count)
    {
        await app.Services.GetRequiredService<OutboxSender>().RunOnceAsync(CancellationToken.None);
        var until = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var about = app.Sink.Messages.Where(m => (m.TextBody ?? "").Contains(tip.ToString(), StringComparison.Ordinal)).ToList();
            if (about.Count >= count || DateTime.UtcNow > until)
            {
                Assert.Equal(count, about.Count);
                return about;
            }

            await Task.Delay(20);
        }
    }

    private static string To(MimeMessage message) => ((MailboxAddress)message.To.Single()).Address;

    /// <summary>The text appears in no notification, no queued or sent e-mail, and no log line.</summary>
    private async Task AssertNowhereAsync(string text)
    {
        Assert.DoesNotContain(app.Sink.Messages, m => m.ToString().Contains(text, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, await app.ScopedAsync(db => db.EmailOutbox.CountAsync(m => m.Subject.Contains(text) || m.Body.Contains(text))));
        Assert.Equal(0, await app.ScopedAsync(db => db.OfficerNotifications.CountAsync(n => n.DedupKey.Contains(text))));
        Assert.DoesNotContain(text, app.Logs.AllText, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<Guid> SubmitAsync(string description, bool someoneInDanger)
    {
        var tipster = Clients.New(app);
        var (posted, fields) = await TipForms.SubmitAsync(tipster, $"/tips/new?notice={KenyaNotice}", f =>
        {
            f["Input.Description"] = description;
            f["Input.Place"] = description;
            if (someoneInDanger)
            {
                f["Input.SomeoneInDanger"] = "true";
            }
        });
        await TipForms.ReceiptAsync(tipster, posted);
        return await TipOfAsync(fields);
    }

    private Task<Guid> TipOfAsync(Dictionary<string, string> fields) =>
        app.ScopedAsync(db => db.Tips.Where(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])).Select(t => t.Id).SingleAsync());

    private Task<Guid> NewTipAsync(Action<Tip>? setUp = null) => TriageSetup.AddTipAsync(app, KenyaNotice, setUp);

    private Task<List<string>> NotifiedAsync(Guid tip, NotificationKind kind) =>
        app.ScopedAsync(db => db.OfficerNotifications.Where(n => n.TipId == tip && n.Kind == kind).Select(n => n.OfficerId).ToListAsync());

    private Task<DateTime?> ReadAtAsync(long id) =>
        app.ScopedAsync(db => db.OfficerNotifications.Where(n => n.Id == id).Select(n => n.ReadAtUtc).SingleAsync());

    /// <summary>Notifications written straight to the database, newest last; returns their ids, newest first.</summary>
    private Task<List<long>> AddNotificationsAsync(string officerId, Guid tip, int count) =>
        app.ScopedAsync(async db =>
        {
            var added = Enumerable.Range(0, count).Select(i => new OfficerNotification
            {
                OfficerId = officerId,
                Kind = NotificationKind.UrgentTipOnDesk,
                TipId = tip,
                CreatedAtUtc = TriageSetup.Hour.AddMinutes(i),
                DedupKey = $"test:{Guid.NewGuid():N}",
            }).ToList();
            foreach (var notification in added)
            {
                db.OfficerNotifications.Add(notification);
                await db.SaveChangesAsync();
            }

            return added.Select(n => n.Id).Reverse().ToList();
        });

    private static async Task<Dictionary<string, string>> DecideFormAsync(HttpClient client, Guid tip, string formId)
    {
        var response = await client.GetAsync($"/triage/tips/{tip}/decide");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Html.FormFields(await Html.ParseAsync(response), $"form#{formId}");
    }

    public sealed record Officer(HttpClient Client, string Id, string Email);

    /// <summary>
    /// One app with e-mail on, pointed at an SMTP server in the test; the background sender waits an
    /// hour between runs, so the tests run it themselves. Two Kenyan-desk officers, one South African, one Supervisor.
    /// </summary>
    public sealed class App : AppFactory, IAsyncLifetime
    {
        public App()
            : this(SmtpSink.Start())
        {
        }

        private App(SmtpSink sink)
            : base(new()
            {
                ["Email:Smtp:Host"] = "127.0.0.1",
                ["Email:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Email:Smtp:UseTls"] = "false",
                ["Email:Smtp:From"] = "InfraTerra <noreply@infraterra.test>",
                ["Email:PollSeconds"] = "3600",
                ["Email:LinkBaseUrl"] = "https://triage.infraterra.test/",
            }) =>
            Sink = sink;

        public SmtpSink Sink { get; }
        public Officer KeA { get; private set; } = null!;
        public Officer KeB { get; private set; } = null!;
        public Officer Za { get; private set; } = null!;
        public Officer Supervisor { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            KeA = await OfficerAsync("ke-a", "KE");
            KeB = await OfficerAsync("ke-b", "KE");
            Za = await OfficerAsync("za", "ZA");
            Supervisor = await OfficerAsync("supervisor", null, Roles.Supervisor);
        }

        public async Task<Officer> OfficerAsync(string name, string? desk, string role = Roles.Officer)
        {
            var email = $"{name}-{Guid.NewGuid().ToString("N")[..8]}@example.org";
            var client = await Officers.SignInFirstTimeAsync(this, email, role);
            var id = await ScopedAsync(async db =>
            {
                var user = await db.Users.SingleAsync(u => u.Email == email);
                if (desk is not null)
                {
                    db.OfficerDesks.Add(new OfficerDesk { UserId = user.Id, Desk = desk });
                    await db.SaveChangesAsync();
                }

                return user.Id;
            });
            return new Officer(client, id, email);
        }

        async Task IAsyncLifetime.DisposeAsync() => await Sink.DisposeAsync();
    }
}
