using System.Security.Cryptography;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

/// <summary>The app on a real SQLite file with a clock the tests move, so times within an hour are certain.</summary>
public sealed class ClockedApp : AppFactory
{
    public ClockedApp() => ExtraServices = services => services.AddSingleton<TimeProvider>(Clock);

    public SettableClock Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 10, 20, 30, TimeSpan.Zero).AddTicks(1234567));
}

public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The tip store called directly: what it seals, how it binds it, and the times and order it keeps.</summary>
public sealed class TipStoreTests(ClockedApp app) : IClassFixture<ClockedApp>
{
    private static readonly TipContent Content = new("Seen loading logs onto a truck at the sawmill.", "North gate");

    private AttachmentIntake.CleanFile File(byte[] original) =>
        new(AttachmentInspector.Inspect(original), app.Services.GetRequiredService<OriginalFileHash>().Of(original), new PhotoLocation(47.3769, 8.5417));

    private Task<string> CreateAsync(params byte[][] files) =>
        app.WithStoreAsync(store => store.CreateAsync(
            new TipStore.NewTip(null, "KE", null, Content), TipStore.NewFormKey(), [.. files.Select(File)], CancellationToken.None));

    private async Task<Guid> TipIdAsync(string receipt) =>
        (await app.WithStoreAsync(store => store.FindByReceiptAsync(receipt, CancellationToken.None))).TipId!.Value;

    private Task<TipMessage> AppendAsync(Guid tipId, MessageAuthor author, string text, params byte[][] files) =>
        app.WithStoreAsync(store => store.AppendMessageAsync(tipId, author, text, [.. files.Select(File)], CancellationToken.None));

    private Task<TipStore.OpenedConversation> ConversationAsync(Guid tipId) =>
        app.WithStoreAsync(store => store.OpenConversationAsync(tipId, CancellationToken.None));

    private Task<Tip> LoadAsync(Guid tipId) =>
        app.ScopedAsync(db => db.Tips.AsNoTracking().Include(t => t.Messages).Include(t => t.Attachments).SingleAsync(t => t.Id == tipId));

    private Task<int> UpdateAsync(Func<AppDbContext, Task<int>> change) => app.ScopedAsync(change);

    [Fact]
    public async Task Create_StoresASealedTip_FoundByItsReceiptTypedLoosely_AndByItsFormKey()
    {
        var formKey = TipStore.NewFormKey();
        var receipt = await app.WithStoreAsync(store => store.CreateAsync(
            new TipStore.NewTip(null, "KE", new DateOnly(2026, 11, 28), Content), formKey, [File(TestFiles.Png())], CancellationToken.None));

        var match = await app.WithStoreAsync(store => store.FindByReceiptAsync(receipt.ToLowerInvariant().Replace('-', ' '), CancellationToken.None));
        Assert.True(match.WellFormed);
        var tip = await LoadAsync(match.TipId!.Value);
        Assert.Equal(Content, app.WithStore(store => store.OpenContent(tip)));
        Assert.Equal(("KE", Tip.GeneralDesk, TipStatus.New), (tip.SightingCountry, tip.Desk, tip.Status));
        Assert.Equal(1, Assert.Single(tip.Attachments).Position);
        Assert.Equal(receipt, await app.WithStoreAsync(store => store.FindReceiptByFormKeyAsync(formKey, CancellationToken.None)));
        Assert.Null(await app.WithStoreAsync(store => store.FindReceiptByFormKeyAsync(TipStore.NewFormKey(), CancellationToken.None)));
        Assert.False((await app.WithStoreAsync(store => store.FindByReceiptAsync("not a code", CancellationToken.None))).WellFormed);
    }

    [Fact]
    public async Task ConversationTimes_AreStoredToTheHour_OnBothSides_SoAnOfficersExactTimeCannotPinATipstersAnswer()
    {
        var tipId = await TipIdAsync(await CreateAsync(TestFiles.Png()));
        await AppendAsync(tipId, MessageAuthor.Officer, "Which gate?");
        await AppendAsync(tipId, MessageAuthor.Tipster, "The north gate.", TestFiles.Png(80, 60));

        var tip = await LoadAsync(tipId);
        var hour = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
        Assert.Equal(hour, tip.SubmittedAtUtc);
        Assert.Equal(hour, tip.Messages.Single(m => m.Author == MessageAuthor.Tipster).SentAtUtc);
        Assert.Equal(2, tip.Attachments.Count);
        Assert.All(tip.Attachments, a => Assert.Equal(hour, a.AddedAtUtc));
        Assert.All(
            [tip.SubmittedAtUtc, .. tip.Attachments.Select(a => a.AddedAtUtc), .. tip.Messages.Select(m => m.SentAtUtc)],
            time => Assert.Equal(0, time.Ticks % TimeSpan.TicksPerHour));
        Assert.NotEqual(hour, app.Clock.Now.UtcDateTime);
        Assert.Equal(hour, tip.Messages.Single(m => m.Author == MessageAuthor.Officer).SentAtUtc);
    }

    [Fact]
    public async Task Conversation_FollowsPosition_WhenEveryMessageHasTheSameCoarseTime()
    {
        var tipId = await TipIdAsync(await CreateAsync());
        await AppendAsync(tipId, MessageAuthor.Tipster, "One more thing: there were two trucks.");
        await AppendAsync(tipId, MessageAuthor.Tipster, "And a blue car.");
        await AppendAsync(tipId, MessageAuthor.Officer, "What colour were the trucks?");
        await AppendAsync(tipId, MessageAuthor.Tipster, "White.", TestFiles.Png());

        var (_, messages) = await ConversationAsync(tipId);

        Assert.Equal(["One more thing: there were two trucks.", "And a blue car.", "What colour were the trucks?", "White."], messages.Select(m => m.Text));
        Assert.Equal([1, 2, 3, 4], messages.Select(m => m.Position));
        Assert.Equal(1, messages[3].FileCount);
        var tip = await LoadAsync(tipId);
        Assert.Single(tip.Messages.Select(m => m.SentAtUtc).Distinct());
    }

    [Fact]
    public async Task ReplyCheck_ComparesWithTheLastPosition_AndToleratesTheHourChanging()
    {
        var tipId = await TipIdAsync(await CreateAsync());
        var photo = TestFiles.Png();
        await AppendAsync(tipId, MessageAuthor.Tipster, "Yes", photo);
        Task<TipStore.ReplyCheck> CheckAsync(string text, params byte[][] files) =>
            app.WithStoreAsync(store => store.CheckReplyAsync(tipId, text, [.. files.Select(File)], CancellationToken.None));

        var started = app.Clock.Now;
        try
        {
            app.Clock.Now = started.AddMinutes(45);
            Assert.Equal(TipStore.ReplyCheck.Repeat, await CheckAsync("Yes", photo));
            Assert.Equal(TipStore.ReplyCheck.New, await CheckAsync("Yes", TestFiles.Png(80, 60)));
            Assert.Equal(TipStore.ReplyCheck.New, await CheckAsync("No"));

            app.Clock.Now = started.AddHours(2);
            Assert.Equal(TipStore.ReplyCheck.New, await CheckAsync("Yes", photo));

            app.Clock.Now = started;
            await AppendAsync(tipId, MessageAuthor.Officer, "Was he alone?");
            Assert.Equal(TipStore.ReplyCheck.New, await CheckAsync("Yes"));
        }
        finally
        {
            app.Clock.Now = started;
        }

        Assert.Equal(TipStore.ReplyCheck.TipGone, await app.WithStoreAsync(store => store.CheckReplyAsync(Guid.NewGuid(), "Yes", [], CancellationToken.None)));
    }

    [Fact]
    public async Task SealedValues_MovedToAnotherTipWithTheirWrappedKey_FailToOpen()
    {
        var from = await TipIdAsync(await CreateAsync(TestFiles.Png()));
        await AppendAsync(from, MessageAuthor.Tipster, "Moved message");
        var to = await TipIdAsync(await CreateAsync());
        var source = await LoadAsync(from);

        await UpdateAsync(db => db.Tips.Where(t => t.Id == to).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.SealedContent, source.SealedContent)
            .SetProperty(t => t.WrappedDataKey, source.WrappedDataKey)
            .SetProperty(t => t.MasterKeyId, source.MasterKeyId)));
        await UpdateAsync(db => db.TipMessages.Where(m => m.TipId == from).ExecuteUpdateAsync(s => s.SetProperty(m => m.TipId, to)));
        await UpdateAsync(db => db.TipAttachments.Where(a => a.TipId == from).ExecuteUpdateAsync(s => s.SetProperty(a => a.TipId, to)));

        var target = await LoadAsync(to);
        var attachment = Assert.Single(target.Attachments);
        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenContent(target)));
        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenMessage(target, target.Messages.Single())));
        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenAttachment(target, attachment)));
        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenOriginalFingerprint(target, attachment)));
        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenLocation(target, attachment)));
    }

    [Fact]
    public async Task TipsterMessage_RelabelledAsAnOfficers_FailsToOpen()
    {
        var tipId = await TipIdAsync(await CreateAsync());
        var message = await AppendAsync(tipId, MessageAuthor.Tipster, "Written by the tipster");
        Assert.Equal("Written by the tipster", (await ConversationAsync(tipId)).Messages.Single().Text);

        await UpdateAsync(db => db.TipMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Author, MessageAuthor.Officer)));

        await Assert.ThrowsAnyAsync<CryptographicException>(() => ConversationAsync(tipId));
    }

    [Fact]
    public async Task Messages_MovedToAnotherPosition_FailToOpen()
    {
        var tipId = await TipIdAsync(await CreateAsync());
        var first = await AppendAsync(tipId, MessageAuthor.Tipster, "First");
        var second = await AppendAsync(tipId, MessageAuthor.Tipster, "Second");
        Assert.Equal(["First", "Second"], (await ConversationAsync(tipId)).Messages.Select(m => m.Text));

        await UpdateAsync(db => db.TipMessages.Where(m => m.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Position, 99)));
        await UpdateAsync(db => db.TipMessages.Where(m => m.Id == second.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Position, 1)));
        await UpdateAsync(db => db.TipMessages.Where(m => m.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Position, 2)));

        await Assert.ThrowsAnyAsync<CryptographicException>(() => ConversationAsync(tipId));
    }

    [Fact]
    public async Task FilesOfATipAndItsReplies_AreNumberedInTheOrderTheyArrived()
    {
        var tipId = await TipIdAsync(await CreateAsync(TestFiles.Png(), TestFiles.Png(80, 60)));
        var reply = await AppendAsync(tipId, MessageAuthor.Tipster, "Two more photos.", TestFiles.Png(40, 30), TestFiles.Png(20, 10));

        var tip = await LoadAsync(tipId);

        Assert.Equal(
            [(1, (Guid?)null, 64), (2, null, 80), (3, reply.Id, 40), (4, reply.Id, 20)],
            tip.Attachments.OrderBy(a => a.Position).Select(a => (a.Position, a.MessageId, a.Width!.Value)));
    }
}
