using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Tests.Notices;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.FollowUp;

/// <summary>One app for the class; each test starts with no tips and no per-client counters (<see cref="AppFactory.ForgetTipsAsync"/>).</summary>
public sealed class FollowUpTests(SharedApp shared) : IClassFixture<SharedApp>, IAsyncLifetime
{
    public Task InitializeAsync() => shared.ForgetTipsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<(HttpClient Client, string Receipt, Guid TipId)> SubmitAsync(AppFactory factory, string notice = "2014-90002")
    {
        var client = Clients.New(factory);
        var (posted, fields) = await TipForms.SubmitAsync(client, $"/tips/new?notice={notice}", f => f["Input.Description"] = "Seen at the airport, departures hall.");
        var receipt = await TipForms.ReceiptAsync(client, posted);
        var tipId = await factory.ScopedAsync(db => db.Tips.Where(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])).Select(t => t.Id).SingleAsync());
        return (client, receipt, tipId);
    }

    private static Task<HttpResponseMessage> OpenAsync(HttpClient client, string receipt) =>
        Clients.PostFormAsync(client, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        });

    [Fact]
    public async Task Receipt_OpensTheStatusAndConversation_WithoutEchoingTheCode()
    {
        var factory = shared;
        var (client, receipt, _) = await SubmitAsync(factory);

        var response = await OpenAsync(client, receipt);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var page = await Html.ParseAsync(response);
        Assert.Equal("Received", page.QuerySelector("#public-status")!.TextContent.Trim());
        Assert.Contains("No messages yet", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(receipt, html, StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lower")]
    [InlineData("spaces")]
    [InlineData("lookalikes")]
    public async Task Receipt_TypedLoosely_StillOpens(string variant)
    {
        var factory = shared;
        var (client, receipt, _) = await SubmitAsync(factory);
        var typed = variant switch
        {
            "lower" => receipt.ToLowerInvariant(),
            "spaces" => receipt.Replace('-', ' '),
            _ => receipt.Replace('0', 'O').Replace('1', 'l'),
        };

        var page = await Html.ParseAsync(await OpenAsync(client, typed));

        Assert.NotNull(page.QuerySelector("#public-status"));
    }

    [Fact]
    public async Task OfficerQuestion_IsShown_AndTheTipstersAnswerIsStoredSealed()
    {
        var factory = shared;
        var (client, receipt, tipId) = await SubmitAsync(factory);
        await AskAsync(factory, tipId, "Which terminal was it?");
        await factory.ScopedAsync(async db =>
        {
            var tip = await db.Tips.SingleAsync(t => t.Id == tipId);
            tip.Status = TipStatus.InReview;
            return await db.SaveChangesAsync();
        });

        var opened = await Html.ParseAsync(await OpenAsync(client, receipt));
        Assert.Equal("Under review", opened.QuerySelector("#public-status")!.TextContent.Trim());
        Assert.Contains("Which terminal was it?", opened.QuerySelector("#messages")!.TextContent, StringComparison.Ordinal);

        var answer = "Terminal-2-answer-" + Guid.NewGuid().ToString("N");
        var fields = Html.FormFields(opened, "main form");
        fields["Reply.Message"] = answer;
        var replied = await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));

        var page = await Html.ParseAsync(replied);
        var messages = page.QuerySelectorAll("#messages li");
        Assert.Equal(2, messages.Length);
        Assert.Contains(answer, messages[1].TextContent, StringComparison.Ordinal);
        var stored = await factory.ScopedAsync(db => db.TipMessages.Where(m => m.TipId == tipId && m.Author == MessageAuthor.Tipster).SingleAsync());
        Assert.DoesNotContain(answer, Encoding.UTF8.GetString(stored.SealedBody), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Please write your answer.")]
    [InlineData("bad\u0001char", "characters we cannot accept")]
    public async Task Reply_Invalid_ShowsTheErrorAndStoresNothing(string message, string error)
    {
        var factory = shared;
        var (client, receipt, tipId) = await SubmitAsync(factory);
        var opened = await Html.ParseAsync(await OpenAsync(client, receipt));
        var fields = Html.FormFields(opened, "main form");
        fields["Reply.Message"] = message;

        var page = await Html.ParseAsync(await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields)));

        Assert.Contains(error, page.QuerySelector("[data-valmsg-for='Reply.Message']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    [Fact]
    public async Task Reply_WithAnExpiredOrForgedSession_KeepsTheAnswer_AndSendsItOnceTheReceiptIsEnteredAgain()
    {
        var factory = shared;
        var (client, receipt, tipId) = await SubmitAsync(factory);
        var opened = await Html.ParseAsync(await OpenAsync(client, receipt));
        var fields = Html.FormFields(opened, "main form");
        fields["Session"] = "forged-" + fields["Session"];
        fields["Reply.Message"] = "Written while the page sat idle";

        var page = await Html.ParseAsync(await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields)));

        Assert.Contains("enter your receipt code again", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Written while the page sat idle", page.QuerySelector("#Reply_Message")!.TextContent.Trim());
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));

        var again = Html.FormFields(page);
        again["Receipt"] = receipt;
        var reopened = await Html.ParseAsync(await client.PostAsync("/tips/follow-up?handler=Open", new FormUrlEncodedContent(again)));

        Assert.Contains("Written while the page sat idle", reopened.QuerySelector("#messages")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    [Fact]
    public async Task Reply_SentTwice_IsStoredOnce()
    {
        var factory = shared;
        var (client, receipt, tipId) = await SubmitAsync(factory);
        var fields = Html.FormFields(await Html.ParseAsync(await OpenAsync(client, receipt)), "main form");
        fields["Reply.Message"] = "Double-clicked answer";

        await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));
        await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));

        Assert.Equal(1, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    [Fact]
    public async Task Reply_SentSeveralTimesAtOnce_IsStoredOnce()
    {
        var factory = shared;
        var (client, receipt, tipId) = await SubmitAsync(factory);
        var fields = Html.FormFields(await Html.ParseAsync(await OpenAsync(client, receipt)), "main form");
        fields["Reply.Message"] = "Clicked again and again on a slow link";

        // Several posts of one page in flight together race for the same position; the losers must
        // find the winner's identical message instead of storing theirs at the next position.
        var posts = Enumerable.Range(0, 6).Select(_ => client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields)));
        Assert.All(await Task.WhenAll(posts), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        Assert.Equal(1, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    [Fact]
    public async Task BrowserThatKeepsNoCookies_CanSendATip_OpenItAndReply()
    {
        var factory = shared;
        var cookieless = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var (sent, _) = await TipForms.SubmitAsync(cookieless, "/tips/new", f => f["Input.Description"] = "Sent with every cookie blocked.");
        var receipt = (await Html.ParseAsync(sent)).QuerySelector("#receipt-code")!.TextContent;

        var opened = await Html.ParseAsync(await OpenAsync(cookieless, receipt));
        Assert.Equal("Received", opened.QuerySelector("#public-status")!.TextContent.Trim());
        var fields = Html.FormFields(opened, "main form");
        fields["Reply.Message"] = "A reply, still without cookies.";
        var replied = await Html.ParseAsync(await cookieless.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields)));

        Assert.Contains("A reply, still without cookies.", replied.QuerySelector("#messages")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameShortAnswer_ToTwoQuestions_IsStoredTwice()
    {
        var factory = shared;
        var (client, receipt, tipId) = await SubmitAsync(factory);
        for (var question = 1; question <= 2; question++)
        {
            await AskAsync(factory, tipId, $"Question {question}: was he alone?");
            var fields = Html.FormFields(await Html.ParseAsync(await OpenAsync(client, receipt)), "main form");
            fields["Reply.Message"] = "Yes";
            await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));
        }

        Assert.Equal(2, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId && m.Author == MessageAuthor.Tipster)));
    }

    [Fact]
    public async Task Replies_BeyondTheHourlyLimit_Get429AndKeepTheAnswer()
    {
        using var factory = new AppFactory(new() { ["RateLimits:FollowUpRepliesPerHour"] = "2" });
        var (client, receipt, tipId) = await SubmitAsync(factory);
        HttpResponseMessage? last = null;
        for (var i = 1; i <= 3; i++)
        {
            var fields = Html.FormFields(await Html.ParseAsync(await OpenAsync(client, receipt)), "main form");
            fields["Reply.Message"] = $"Answer number {i}";
            last = await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        var page = await Html.ParseAsync(last);
        Assert.Equal("Answer number 3", page.QuerySelector("#Reply_Message")!.TextContent.Trim());
        Assert.Equal(2, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    private static Task<TipMessage> AskAsync(AppFactory factory, Guid tipId, string question) =>
        factory.WithStoreAsync(store => store.AppendMessageAsync(tipId, MessageAuthor.Officer, question, [], CancellationToken.None));

    [Fact]
    public async Task Reply_WhenTheDatabaseCannotWrite_Answers503AndKeepsTheAnswer()
    {
        using var factory = new AppFactory(new() { ["Database:SqliteBusyTimeoutSeconds"] = "1" });
        var (client, receipt, tipId) = await SubmitAsync(factory);
        var fields = Html.FormFields(await Html.ParseAsync(await OpenAsync(client, receipt)), "main form");
        fields["Reply.Message"] = "Answer during an outage";

        await using (await SqliteWriteLock.TakeAsync(factory.DatabaseFile))
        {
            var response = await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var page = await Html.ParseAsync(response);
            Assert.NotNull(page.QuerySelector("#try-again"));
            Assert.Equal("Answer during an outage", page.QuerySelector("#Reply_Message")!.TextContent.Trim());
        }

        Assert.Equal(0, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    [Fact]
    public async Task WhenThePersonIsArrested_TheTipsterSeesTheyAreNoLongerSought()
    {
        using var factory = new AppFactory();
        var (client, receipt, _) = await SubmitAsync(factory, "2014-90005");
        await NoticePagesTests.SetStatusAsync(factory, "2014-90005", NoticeStatus.Arrested, DateTime.UtcNow);

        var page = await Html.ParseAsync(await OpenAsync(client, receipt));

        Assert.NotNull(page.QuerySelector("#no-longer-sought"));
    }

    [Theory]
    [InlineData("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "could not find a report")]
    [InlineData("not a code", "24 letters and digits")]
    public async Task WrongCode_GetsAClearErrorAndRevealsNothing(string code, string error)
    {
        var factory = shared;
        var client = Clients.New(factory);

        var page = await Html.ParseAsync(await OpenAsync(client, code));

        Assert.Contains(error, page.QuerySelector("#receipt-error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#public-status"));
    }

    [Fact]
    public async Task AfterFiveWrongCodes_AnswersAreSlowed_AndLaterRefused()
    {
        using var factory = new AppFactory(new() { ["FollowUp:FailureDelayScale"] = "0.25", ["FollowUp:BlockAfterFailures"] = "8" });
        var client = Clients.New(factory);
        var (_, receipt, _) = await SubmitAsync(factory);
        var fields = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/follow-up")));
        fields["Receipt"] = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF";
        async Task<(HttpStatusCode Status, TimeSpan Took)> TryAsync(string code)
        {
            fields["Receipt"] = code;
            var watch = Stopwatch.StartNew();
            var response = await client.PostAsync("/tips/follow-up?handler=Open", new FormUrlEncodedContent(fields));
            return (response.StatusCode, watch.Elapsed);
        }

        for (var i = 0; i < FollowUpGuard.FreeFailures; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TryAsync("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")).Status);
        }

        // The 6th failure waits 2^0 s × 0.25, the 7th 2^1 s × 0.25 = 500 ms (timer slack allowed for).
        await TryAsync("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF");
        var slowed = await TryAsync("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF");
        Assert.True(slowed.Took >= TimeSpan.FromMilliseconds(450), $"took {slowed.Took}");

        // The 8th failure reaches the configured block; even the right code is then refused.
        await TryAsync("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(receipt)).Status);
    }

    private static async Task<HttpResponseMessage> PostWithFilesAsync(
        HttpClient client, string handler, Dictionary<string, string> fields, params (string Name, byte[] Bytes, string DeclaredType)[] files)
    {
        using var content = TipForms.WithFiles(fields, "Reply.Attachments", files);
        return await client.PostAsync($"/tips/follow-up?handler={handler}", content);
    }

    private static async Task<(HttpClient Client, Guid TipId, Dictionary<string, string> Fields)> OpenedAsync(AppFactory factory, string answer)
    {
        var (client, receipt, tipId) = await SubmitAsync(factory);
        var fields = Html.FormFields(await Html.ParseAsync(await OpenAsync(client, receipt)), "main form");
        fields["Reply.Message"] = answer;
        return (client, tipId, fields);
    }

    [Fact]
    public async Task ReplyForm_TakesFiles_WithTheLocationOptInUnchecked()
    {
        var factory = shared;
        var (client, receipt, _) = await SubmitAsync(factory);

        var page = await Html.ParseAsync(await OpenAsync(client, receipt));

        var form = page.QuerySelector("main form")!;
        Assert.Equal("multipart/form-data", form.GetAttribute("enctype"));
        Assert.NotNull(form.QuerySelector("input[type=file][name='Reply.Attachments'][multiple]"));
        var box = (AngleSharp.Html.Dom.IHtmlInputElement)form.QuerySelector("input[type=checkbox][name='Reply.KeepPhotoLocation']")!;
        Assert.False(box.IsChecked);
        Assert.Contains("write a few words", form.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_WithFiles_StoresThemSealedAndLinkedToTheMessage_AndTheConversationOnlyCountsThem()
    {
        var factory = shared;
        var probe = "ReplyFileProbe" + Guid.NewGuid().ToString("N");
        var pdf = TestFiles.Pdf(text: probe);
        var (client, tipId, fields) = await OpenedAsync(factory, "Here are the papers I found.");

        var response = await PostWithFilesAsync(client, "Reply", fields, ("evidence-letter.pdf", pdf, "application/pdf"), ("harbour.png", TestFiles.Png(), "image/png"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var mine = page.QuerySelectorAll("#messages li").Last();
        Assert.Equal("2 files attached", mine.QuerySelector(".files-attached")!.TextContent.Trim());
        Assert.DoesNotContain("evidence-letter", page.DocumentElement.OuterHtml, StringComparison.Ordinal);

        var message = await factory.ScopedAsync(db => db.TipMessages.SingleAsync(m => m.TipId == tipId && m.Author == MessageAuthor.Tipster));
        var tip = await factory.ScopedAsync(db => db.Tips.Include(t => t.Attachments).SingleAsync(t => t.Id == tipId));
        Assert.Equal(2, tip.Attachments.Count);
        Assert.All(tip.Attachments, a => Assert.Equal(message.Id, a.MessageId));
        Assert.All(tip.Attachments, a => Assert.Null(a.SealedLocation));
        var storedPdf = tip.Attachments.Single(a => a.ContentType == "application/pdf");
        Assert.Contains(probe, Encoding.Latin1.GetString(factory.WithStore(s => s.OpenAttachment(tip, storedPdf))), StringComparison.Ordinal);
        Assert.Equal(Fingerprints.Of(factory, pdf), factory.WithStore(s => s.OpenOriginalFingerprint(tip, storedPdf)));
        foreach (var file in Directory.GetFiles(factory.DataFolder))
        {
            Assert.DoesNotContain(probe, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reply_WithAPhotoAndTheLocationOptIn_KeepsItsPositionSealed()
    {
        var factory = shared;
        var (client, tipId, fields) = await OpenedAsync(factory, "A photo from the quay.");
        fields["Reply.KeepPhotoLocation"] = "true";

        await PostWithFilesAsync(client, "Reply", fields, ("quay.jpg", TestFiles.JpegWithExif(TestFiles.GpsTiff(TestFiles.Zurich)), "image/jpeg"));

        var tip = await factory.ScopedAsync(db => db.Tips.Include(t => t.Attachments).SingleAsync(t => t.Id == tipId));
        var attachment = Assert.Single(tip.Attachments);
        Assert.NotNull(attachment.MessageId);
        var location = factory.WithStore(s => s.OpenLocation(tip, attachment));
        Assert.Equal(47.3769, location!.Latitude, 1e-9);
        Assert.Equal(8.5417, location.Longitude, 1e-9);
    }

    [Fact]
    public async Task Reply_WithABadFile_GetsTheSameErrorAsTheTipForm_KeepsTheText_AndStoresNothing()
    {
        var factory = shared;
        var bad = ("photo.jpg", "just some text, not a photo"u8.ToArray(), "image/jpeg");
        var (client, tipId, fields) = await OpenedAsync(factory, "The photo of the boat.");

        var page = await Html.ParseAsync(await PostWithFilesAsync(client, "Reply", fields, bad));

        var tipFormPage = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var tipForm = Html.FormFields(tipFormPage);
        tipForm["Input.Description"] = "The photo of the boat, once more.";
        tipForm["Input.CheckAnswer"] = TipForms.AnswerTo(tipFormPage);
        using var tipContent = TipForms.WithFiles(tipForm, "Input.Attachments", bad);
        var tipPage = await Html.ParseAsync(await client.PostAsync("/tips/new", tipContent));
        var tipError = tipPage.QuerySelector("[data-valmsg-for='Input.Attachments']")!.TextContent.Trim();
        Assert.Contains("“photo.jpg” is not a photo", tipError, StringComparison.Ordinal);

        Assert.Equal(tipError, page.QuerySelector("[data-valmsg-for='Reply.Attachments']")!.TextContent.Trim());
        Assert.Equal("The photo of the boat.", page.QuerySelector("#Reply_Message")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#files-again"));
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipAttachments.CountAsync(a => a.TipId == tipId)));
    }

    [Fact]
    public async Task Reply_WithMoreThanFiveFiles_IsRefused()
    {
        var factory = shared;
        var (client, tipId, fields) = await OpenedAsync(factory, "Six pictures.");
        var files = Enumerable.Range(0, AttachmentInspector.MaxFiles + 1).Select(i => ($"p{i}.png", TestFiles.Png(), "image/png")).ToArray();

        var page = await Html.ParseAsync(await PostWithFilesAsync(client, "Reply", fields, files));

        Assert.Contains("at most 5 files", page.QuerySelector("[data-valmsg-for='Reply.Attachments']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    [Fact]
    public async Task Reply_WithFilesButNoText_AsksForTheText()
    {
        var factory = shared;
        var (client, tipId, fields) = await OpenedAsync(factory, "");

        var page = await Html.ParseAsync(await PostWithFilesAsync(client, "Reply", fields, ("a.png", TestFiles.Png(), "image/png")));

        Assert.Contains("Please write your answer.", page.QuerySelector("[data-valmsg-for='Reply.Message']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipAttachments.CountAsync(a => a.TipId == tipId)));
    }

    [Fact]
    public async Task Reply_WithFilesAfterTheSessionClosed_KeepsTheText_AsksForTheFilesAgain_AndTakesThemWithTheReceipt()
    {
        var factory = shared;
        var (client, receipt, tipId) = await SubmitAsync(factory);
        var fields = Html.FormFields(await Html.ParseAsync(await OpenAsync(client, receipt)), "main form");
        fields["Session"] = "forged-" + fields["Session"];
        fields["Reply.Message"] = "Written while the page sat idle, with a photo";

        var page = await Html.ParseAsync(await PostWithFilesAsync(client, "Reply", fields, ("idle.png", TestFiles.Png(), "image/png")));

        Assert.Contains("enter your receipt code again", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Written while the page sat idle, with a photo", page.QuerySelector("#Reply_Message")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#files-again"));
        Assert.Equal("multipart/form-data", page.QuerySelector("main form")!.GetAttribute("enctype"));
        Assert.NotNull(page.QuerySelector("main form input[type=file][name='Reply.Attachments']"));
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipAttachments.CountAsync(a => a.TipId == tipId)));

        var again = Html.FormFields(page);
        again["Receipt"] = receipt;
        var reopened = await Html.ParseAsync(await PostWithFilesAsync(client, "Open", again, ("idle.png", TestFiles.Png(), "image/png")));

        Assert.Equal("1 file attached", reopened.QuerySelector("#messages li .files-attached")!.TextContent.Trim());
        var message = await factory.ScopedAsync(db => db.TipMessages.SingleAsync(m => m.TipId == tipId));
        Assert.Equal(message.Id, (await factory.ScopedAsync(db => db.TipAttachments.SingleAsync(a => a.TipId == tipId))).MessageId);
    }

    [Fact]
    public async Task Reply_SentTwiceWithTheSameFiles_IsStoredOnce_ButTheSameWordsWithAnotherFileAreKept()
    {
        var factory = shared;
        var (client, tipId, fields) = await OpenedAsync(factory, "See the photo.");

        await PostWithFilesAsync(client, "Reply", fields, ("first.png", TestFiles.Png(), "image/png"));
        await PostWithFilesAsync(client, "Reply", fields, ("first.png", TestFiles.Png(), "image/png"));
        Assert.Equal(1, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));

        await PostWithFilesAsync(client, "Reply", fields, ("second.png", TestFiles.Png(80, 60), "image/png"));
        Assert.Equal(2, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
        Assert.Equal(2, await factory.ScopedAsync(db => db.TipAttachments.CountAsync(a => a.TipId == tipId && a.MessageId != null)));
    }

    [Fact]
    public async Task Reply_BeyondEveryLimit_GetsTheFriendly413Page()
    {
        var factory = shared;
        var (client, _, fields) = await OpenedAsync(factory, "Far too much.");

        var response = await PostWithFilesAsync(client, "Reply", fields, ("enormous.jpg", new byte[(int)NewModel.MaxRequestBytes + 1], "image/jpeg"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Too large", (await Html.ParseAsync(response)).QuerySelector("h1")!.TextContent);
    }
}
