using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage.Exports;

/// <summary>
/// One app for the export tests: a Supervisor and an Officer of the South African desk (the desk of
/// notice 2014-90002), signed in once. A CSV export holds at most <see cref="MaxRows"/> tips here, so
/// the cap is reached with a handful.
/// </summary>
public sealed class ExportApp : AppFactory, IAsyncLifetime
{
    public const int MaxRows = 4;
    public const string NoticeReference = "2014-90002";
    public const string SupervisorEmail = "export.supervisor@example.org";

    public ExportApp()
        : base(new() { ["Exports:MaxCsvRows"] = MaxRows.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Queue:CountsCacheSeconds"] = "0" })
    {
    }

    public HttpClient Supervisor { get; private set; } = null!;
    public HttpClient ZaOfficer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Supervisor = await Officers.SignInFirstTimeAsync(this, SupervisorEmail, Roles.Supervisor);
        ZaOfficer = await Officers.SignInFirstTimeAsync(this, "export.za@example.org", Roles.Officer);
        await TriageSetup.AddDeskAsync(this, "export.za@example.org", "ZA");
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public AttachmentIntake.CleanFile File(byte[] original) =>
        new(AttachmentInspector.Inspect(original), Services.GetRequiredService<OriginalFileHash>().Of(original), null);

    /// <summary>A tip about notice 2014-90002 (the ZA desk), stored by the app's own tip store.</summary>
    public async Task<Guid> CreateTipAsync(string description, string? place = "Harbour road, by the fish market", params AttachmentIntake.CleanFile[] files)
    {
        TipNotice? notice;
        await using (var scope = Services.CreateAsyncScope())
        {
            notice = await scope.ServiceProvider.GetRequiredService<TipNotices>().FindAsync(NoticeReference, CancellationToken.None);
        }

        var content = new TipContent(description, place) { HowKnown = HowKnown.SawInPerson, Certainty = Certainty.FairlySure, ContactDetails = "secret-contact@example.org" };
        var receipt = await this.WithStoreAsync(store => store.CreateAsync(
            new TipStore.NewTip(notice, "ZA", new DateOnly(2026, 11, 28), content), TipStore.NewFormKey(), files, CancellationToken.None));
        return (await this.WithStoreAsync(store => store.FindByReceiptAsync(receipt, CancellationToken.None))).TipId!.Value;
    }

    public Task<string> SupervisorIdAsync() =>
        ScopedAsync(db => db.Users.Where(u => u.Email == SupervisorEmail).Select(u => u.Id).SingleAsync());

    public async Task AskAsync(Guid tipId, string question)
    {
        var actor = new AuditActor(await SupervisorIdAsync(), SupervisorEmail);
        await this.WithStoreAsync(store => store.AppendMessageAsync(
            tipId, MessageAuthor.Officer, question, [], CancellationToken.None, new AuditEntry(actor, AuditActions.QuestionSent, tipId)));
    }

    public Task AnswerAsync(Guid tipId, string answer, params AttachmentIntake.CleanFile[] files) =>
        this.WithStoreAsync(store => store.AppendMessageAsync(tipId, MessageAuthor.Tipster, answer, files, CancellationToken.None));
}
