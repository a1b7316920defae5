using System.Net;
using InfraTerra.Tests.Triage;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Support;

/// <summary>Queue set-up written straight to the database, independent of the pages that will do it.</summary>
public static class TriageSetup
{
    public static readonly DateTime Hour = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>A 403 at the address asked for, with the status page's explanation.</summary>
    public static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Not allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Makes an officer a member of a desk, as an administrator would.</summary>
    public static Task AddDeskAsync(AppFactory factory, string email, string desk) =>
        factory.ScopedAsync(async db =>
        {
            var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            db.OfficerDesks.Add(new OfficerDesk { UserId = id, Desk = desk });
            return await db.SaveChangesAsync();
        });

    /// <summary>A tip stored as the form would route it (desk of the notice's first warrant), set up directly.</summary>
    public static Task<Guid> AddTipAsync(AppFactory factory, string? noticeReference, Action<Tip>? setUp = null) =>
        factory.ScopedAsync(async db =>
        {
            var notice = noticeReference is null
                ? null
                : await db.Notices.Include(n => n.Warrants).SingleAsync(n => n.Reference == noticeReference);
            var id = Guid.NewGuid();
            var tip = new Tip
            {
                Id = id,
                NoticeId = notice?.Id,
                Desk = Tip.DeskFor(notice),
                SubmittedAtUtc = Hour,
                SealedContent = [0],
                WrappedDataKey = [0],
                MasterKeyId = "k",
                ReceiptLookupHash = id.ToByteArray(),
                IdempotencyKeyHash = id.ToByteArray(),
                ReplayReceipt = [0],
            };
            setUp?.Invoke(tip);
            db.Tips.Add(tip);
            await db.SaveChangesAsync();
            return id;
        });
}
