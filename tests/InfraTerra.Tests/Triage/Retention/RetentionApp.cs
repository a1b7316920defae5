using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Features.Triage.Retention;
using InfraTerra.Web.Features.Triage.Tips;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage.Retention;

/// <summary>
/// One app on a clock the tests move forward, with e-mail on (to a sink; the sender is left to the
/// outbox, which the tests read), purging two tips per batch, a Supervisor and an officer of the ZA
/// desk (the desk of notice 2014-90002). Officers act through the app's own services: a signed-in
/// session would not outlive the clock's months.
/// </summary>
public sealed class RetentionApp : AppFactory, IAsyncLifetime
{
    public const string NoticeReference = "2014-90002";

    public RetentionApp()
        : this(SmtpSink.Start())
    {
    }

    private RetentionApp(SmtpSink sink)
        : base(new()
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:UseTls"] = "false",
            ["Email:Smtp:From"] = "InfraTerra <noreply@infraterra.test>",
            ["Email:PollSeconds"] = "3600",
            ["Retention:BatchSize"] = "2",
        })
    {
        Sink = sink;
        ExtraServices = s => s.AddSingleton<TimeProvider>(Clock);
    }

    public TestClock Clock { get; } = new();
    public SmtpSink Sink { get; }
    public CurrentOfficer Supervisor { get; private set; } = null!;
    public CurrentOfficer ZaOfficer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Supervisor = await OfficerAsync("retention-supervisor@example.org", Roles.Supervisor, null);
        ZaOfficer = await OfficerAsync("retention-za@example.org", Roles.Officer, "ZA");
    }

    async Task IAsyncLifetime.DisposeAsync() => await Sink.DisposeAsync();

    private async Task<CurrentOfficer> OfficerAsync(string email, string role, string? desk)
    {
        await Officers.CreateAsync(this, email, role);
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
        return new CurrentOfficer(id, email, new HashSet<string> { role }, desk is null ? new HashSet<string>() : new HashSet<string> { desk });
    }

    public AttachmentIntake.CleanFile File(byte[] original) =>
        new(AttachmentInspector.Inspect(original), Services.GetRequiredService<OriginalFileHash>().Of(original), null);

    /// <summary>A tip about notice 2014-90002 (ZA desk), stored by the app's own tip store.</summary>
    public async Task<Guid> CreateTipAsync(string description, params AttachmentIntake.CleanFile[] files)
    {
        TipNotice? notice;
        await using (var scope = Services.CreateAsyncScope())
        {
            notice = await scope.ServiceProvider.GetRequiredService<TipNotices>().FindAsync(NoticeReference, CancellationToken.None);
        }

        var receipt = await this.WithStoreAsync(store => store.CreateAsync(
            new TipStore.NewTip(notice, "ZA", new DateOnly(2026, 11, 28), new TipContent(description, "By the old ferry pier")), TipStore.NewFormKey(), files, CancellationToken.None));
        return (await this.WithStoreAsync(store => store.FindByReceiptAsync(receipt, CancellationToken.None))).TipId!.Value;
    }

    /// <summary>A tipster's message and an officer's note on the tip, as follow-up and the tip view add them.</summary>
    public async Task AddMessageAndNoteAsync(Guid tip, string text, params AttachmentIntake.CleanFile[] files)
    {
        await this.WithStoreAsync(store => store.AppendMessageAsync(tip, MessageAuthor.Tipster, text, files, CancellationToken.None));
        await this.WithStoreAsync(store => store.AddNoteAsync(tip, TipNoteKind.Note, "Note: " + text, new AuditEntry(Supervisor.Actor, AuditActions.NoteAdded, tip), CancellationToken.None));
    }

    /// <summary>A decision taken by <paramref name="officer"/> on the tip as it is now; fails the test when refused.</summary>
    public async Task DecideAsync(Guid tip, CurrentOfficer officer, Func<TipDecisions, int, CurrentOfficer, Task<DecisionResult>> decide)
    {
        await using var scope = Services.CreateAsyncScope();
        var revision = await ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.Revision).SingleAsync());
        var result = await decide(scope.ServiceProvider.GetRequiredService<TipDecisions>(), revision, officer);
        Assert.True(result.Succeeded, result.Message);
    }

    public Task SetStatusAsync(Guid tip, TipStatus status) =>
        DecideAsync(tip, Supervisor, (d, revision, officer) => d.ChangeStatusAsync(tip, revision, officer, status, "Retention test", CancellationToken.None));

    public Task<RetentionPurge.Result> PurgeAsync(bool dryRun = false, int? maxBatches = null) =>
        WithPurgeAsync(purge => purge.RunAsync(AuditActor.CommandLine, dryRun, CancellationToken.None, maxBatches));

    private async Task<T> WithPurgeAsync<T>(Func<RetentionPurge, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<RetentionPurge>());
    }

    public Task<bool> ExistsAsync(Guid tip) => ScopedAsync(db => db.Tips.AnyAsync(t => t.Id == tip));

    /// <summary>Rows that belong to the tip, anywhere: messages, files, notes, desk shares, notifications.</summary>
    public Task<int> ChildRowsAsync(Guid tip) =>
        ScopedAsync(async db =>
            await db.TipMessages.CountAsync(m => m.TipId == tip)
            + await db.TipAttachments.CountAsync(a => a.TipId == tip)
            + await db.TipNotes.CountAsync(n => n.TipId == tip)
            + await db.TipDeskShares.CountAsync(s => s.TipId == tip)
            + await db.OfficerNotifications.CountAsync(n => n.TipId == tip));
}
