using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;

namespace InfraTerra.Tests.Triage;

public sealed class TriageOrderTests
{
    [Fact]
    public async Task TipsOfTheSameHour_AreListedByTheirRandomId_NotInTheOrderTheyArrived()
    {
        using var factory = new AppFactory();
        Guid[] arrived = [Guid.Parse("ffffffff-0000-0000-0000-000000000001"), Guid.Parse("88888888-0000-0000-0000-000000000002"), Guid.Parse("11111111-0000-0000-0000-000000000003")];
        var hour = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
        foreach (var id in arrived)
        {
            await factory.ScopedAsync(db =>
            {
                db.Tips.Add(new Tip
                {
                    Id = id,
                    Desk = Tip.GeneralDesk,
                    SubmittedAtUtc = hour,
                    SealedContent = [0],
                    WrappedDataKey = [0],
                    MasterKeyId = "k",
                    ReceiptLookupHash = id.ToByteArray(),
                    IdempotencyKeyHash = id.ToByteArray(),
                    ReplayReceipt = [0],
                });
                return db.SaveChangesAsync();
            });
        }

        var officer = await Officers.SignInFirstTimeAsync(factory, "order@example.org", Roles.Officer);
        await TriageSetup.AddDeskAsync(factory, "order@example.org", Tip.GeneralDesk);
        var page = await Html.ParseAsync(await officer.GetAsync("/triage"));

        var listed = page.QuerySelectorAll("table.queue tbody tr").Select(row => Guid.Parse(row.GetAttribute("data-tip-id")!)).ToList();
        Assert.Equal([arrived[2], arrived[1], arrived[0]], listed);
    }
}
