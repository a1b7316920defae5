using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

/// <summary>
/// One app for the tip view's tests, with three officers signed in once: one on the South African
/// desk (the desk of notice 2014-90002's warrant), one on the Kenyan desk and a Supervisor. Each
/// test makes its own tips, so tests do not see each other's.
/// </summary>
public sealed class TipViewApp : AppFactory, IAsyncLifetime
{
    public const string NoticeReference = "2014-90002";
    public const string NoticeDesk = "ZA";
    public const string ZaEmail = "za.officer@example.org";

    public HttpClient ZaOfficer { get; private set; } = null!;
    public HttpClient KeOfficer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ZaOfficer = await OnDeskAsync(ZaEmail, NoticeDesk);
        KeOfficer = await OnDeskAsync("ke.officer@example.org", "KE");
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    /// <summary>Enrols an Officer through the create-user command and puts them on <paramref name="desk"/> directly in the database.</summary>
    public async Task<HttpClient> OnDeskAsync(string email, string desk)
    {
        var client = await Officers.SignInFirstTimeAsync(this, email, Roles.Officer);
        await ScopedAsync(async db =>
        {
            var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            db.OfficerDesks.Add(new OfficerDesk { UserId = id, Desk = desk });
            return await db.SaveChangesAsync();
        });
        return client;
    }

    public AttachmentIntake.CleanFile File(byte[] original, PhotoLocation? location = null) =>
        new(AttachmentInspector.Inspect(original), Services.GetRequiredService<OriginalFileHash>().Of(original), location);

    /// <summary>A tip about notice 2014-90002 (so on the ZA desk), stored by the app's own tip store; returns its id and receipt.</summary>
    public async Task<(Guid TipId, string Receipt)> CreateTipAsync(string description, params AttachmentIntake.CleanFile[] files)
    {
        TipNotice? notice;
        await using (var scope = Services.CreateAsyncScope())
        {
            notice = await scope.ServiceProvider.GetRequiredService<TipNotices>().FindAsync(NoticeReference, CancellationToken.None);
        }

        var content = new TipContent(description, "Harbour road, by the fish market")
        {
            HowKnown = HowKnown.SawInPerson,
            Certainty = Certainty.FairlySure,
            SightingDateIsApproximate = true,
        };
        var receipt = await this.WithStoreAsync(store => store.CreateAsync(
            new TipStore.NewTip(notice, "ZA", new DateOnly(2026, 11, 28), content), TipStore.NewFormKey(), files, CancellationToken.None));
        var tipId = (await this.WithStoreAsync(store => store.FindByReceiptAsync(receipt, CancellationToken.None))).TipId!.Value;
        return (tipId, receipt);
    }
}
