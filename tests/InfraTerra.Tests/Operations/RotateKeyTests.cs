using System.Security.Cryptography;
using System.Text;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Operations;

public sealed class RotateKeyTests
{
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] LookupKey = RandomNumberGenerator.GetBytes(32);

    private static AppFactory AppWithKeys(bool keepOldKey) => new(new()
    {
        ["Tips:MasterKeyId"] = "key-2026",
        ["Tips:MasterKey"] = Convert.ToBase64String(NewKey),
        ["Tips:LookupKey"] = Convert.ToBase64String(LookupKey),
        ["Audit:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Tips:PreviousMasterKeys:key-2025"] = keepOldKey ? Convert.ToBase64String(OldKey) : null,
    });

    private static async Task<Guid> AddTipSealedWithOldKeyAsync(AppFactory factory, string text)
    {
        var oldSealer = new TipSealer(new TipKeys("key-2025", OldKey, LookupKey));
        var id = Guid.NewGuid();
        var sealedTip = oldSealer.Seal(id, new TipContent(text, null));
        var tip = new Tip
        {
            Id = id,
            Desk = Tip.GeneralDesk,
            SubmittedAtUtc = DateTime.UtcNow,
            SealedContent = sealedTip.Content,
            WrappedDataKey = sealedTip.WrappedDataKey,
            MasterKeyId = sealedTip.MasterKeyId,
            ReceiptLookupHash = RandomNumberGenerator.GetBytes(32),
            IdempotencyKeyHash = RandomNumberGenerator.GetBytes(32),
            ReplayReceipt = [1],
        };
        var message = new TipMessage { Id = Guid.NewGuid(), TipId = id, Author = MessageAuthor.Officer, Position = 1, SentAtUtc = DateTime.UtcNow };
        message.SealedBody = oldSealer.Seal(tip, TipStore.MessageBinding(message), Encoding.UTF8.GetBytes(text + " (message)"));
        tip.Messages.Add(message);
        await factory.ScopedAsync(db =>
        {
            db.Tips.Add(tip);
            return db.SaveChangesAsync();
        });
        return id;
    }

    private static async Task<(int Exit, string Output)> RotateAsync(AppFactory factory)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, ["rotate-key"], output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task RotateKey_RewrapsEveryTipUnderTheNewKey_SoTheOldKeyCanGo()
    {
        using var factory = AppWithKeys(keepOldKey: true);
        var first = await AddTipSealedWithOldKeyAsync(factory, "first tip");
        var second = await AddTipSealedWithOldKeyAsync(factory, "second tip");

        var (exit, output) = await RotateAsync(factory);

        Assert.Equal(0, exit);
        Assert.Contains("Re-wrapped 2 tip data key(s) under master key 'key-2026'", output, StringComparison.Ordinal);
        var newKeyOnly = new TipSealer(new TipKeys("key-2026", NewKey, LookupKey));
        foreach (var (id, text) in new[] { (first, "first tip"), (second, "second tip") })
        {
            var tip = await factory.ScopedAsync(db => db.Tips.Include(t => t.Messages).SingleAsync(t => t.Id == id));
            Assert.Equal("key-2026", tip.MasterKeyId);
            Assert.Equal(text, newKeyOnly.Open(tip).Description);
            var message = tip.Messages.Single();
            Assert.Equal(text + " (message)", Encoding.UTF8.GetString(newKeyOnly.Open(tip, TipStore.MessageBinding(message), message.SealedBody)));
        }

        Assert.Contains("Re-wrapped 0", (await RotateAsync(factory)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateKey_WithoutTheOldKey_RefusesAndChangesNothing()
    {
        using var factory = AppWithKeys(keepOldKey: false);
        var id = await AddTipSealedWithOldKeyAsync(factory, "kept as it was");

        var (exit, output) = await RotateAsync(factory);

        Assert.Equal(2, exit);
        Assert.Contains("key-2025", output, StringComparison.Ordinal);
        Assert.Equal("key-2025", await factory.ScopedAsync(db => db.Tips.Where(t => t.Id == id).Select(t => t.MasterKeyId).SingleAsync()));
    }
}
