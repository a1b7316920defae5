using System.Security.Cryptography;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

/// <summary>Group commit: many tips in one transaction, and each caller still gets its own outcome.</summary>
public sealed class TipWriterTests(ClockedApp app) : IClassFixture<ClockedApp>
{
    private static readonly TipContent Content = new("Seen at the ferry landing with two crates.", "Ferry landing");

    // The app starts (migrates, seeds) on first use: once, before the bursts.
    private async Task StartAsync() => await CreateAsync(TipStore.NewFormKey());

    private Task<string> CreateAsync(string formKey) =>
        app.WithStoreAsync(store => store.CreateAsync(new TipStore.NewTip(null, "KE", null, Content), formKey, [], CancellationToken.None));

    [Fact]
    public async Task ManyTipsAtOnce_AreAllStored_EachFoundByItsOwnReceipt()
    {
        await StartAsync();
        var receipts = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => CreateAsync(TipStore.NewFormKey()))));

        Assert.Equal(40, receipts.Distinct().Count());
        var ids = await Task.WhenAll(receipts.Select(r => app.WithStoreAsync(store => store.FindByReceiptAsync(r, CancellationToken.None))));
        Assert.All(ids, match => Assert.NotNull(match.TipId));
        Assert.Equal(40, ids.Select(m => m.TipId).Distinct().Count());
    }

    [Fact]
    public async Task TheSameFormSentFiveTimesAtOnce_MakesOneTip_AndEverySendGetsItsReceipt()
    {
        await StartAsync();
        var formKey = TipStore.NewFormKey();
        var others = Enumerable.Range(0, 10).Select(_ => Task.Run(() => CreateAsync(TipStore.NewFormKey())));
        var repeats = Enumerable.Range(0, 5).Select(_ => Task.Run(() => CreateAsync(formKey)));

        var receipts = await Task.WhenAll(repeats);
        await Task.WhenAll(others);

        Assert.Single(receipts.Distinct());
        var hash = FormKeys.Hash(formKey);
        Assert.Equal(1, await app.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == hash)));
    }

    [Fact]
    public async Task ABadTipInABurst_FailsAlone_AndTheOthersAreStored()
    {
        await StartAsync();
        var writer = app.Services.GetRequiredService<TipWriter>();
        var clash = RandomNumberGenerator.GetBytes(32);
        var tips = Enumerable.Range(0, 30).Select(i => NewTip(i is 7 or 19 ? clash : RandomNumberGenerator.GetBytes(32))).ToList();

        var outcomes = await Task.WhenAll(tips.Select(tip => Task.Run(async () =>
        {
            try
            {
                await writer.WriteAsync([tip], CancellationToken.None);
                return null;
            }
            catch (DbUpdateException exception)
            {
                return exception;
            }
        })));

        Assert.Single(outcomes, o => o is not null);
        var ids = tips.Select(t => t.Id).ToList();
        Assert.Equal(29, await app.ScopedAsync(db => db.Tips.CountAsync(t => ids.Contains(t.Id))));
    }

    private static Tip NewTip(byte[] formKeyHash) => new()
    {
        Id = Guid.NewGuid(),
        Desk = Tip.GeneralDesk,
        SubmittedAtUtc = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc),
        SealedContent = [1, 2, 3],
        WrappedDataKey = [4, 5, 6],
        MasterKeyId = "test",
        ReceiptLookupHash = RandomNumberGenerator.GetBytes(32),
        IdempotencyKeyHash = formKeyHash,
        ReplayReceipt = [7, 8, 9],
    };
}
