using System.Diagnostics;
using System.Net;
using System.Text;
using InfraTerra.Tests.Infrastructure;
using InfraTerra.Tests.Notices;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.FollowUp;

public sealed class FollowUpTests
{
    private static async Task<(HttpClient Client, string Receipt, Guid TipId)> SubmitAsync(AppFactory factory, string notice = "2014-90002")
    {
        var client = Officers.NewClient(factory);
        var (posted, fields) = await TipForms.SubmitAsync(client, $"/tips/new?notice={notice}", f => f["Input.Description"] = "Seen at the airport, departures hall.");
        var receipt = await TipForms.ReceiptAsync(client, posted);
        var tipId = await factory.ScopedAsync(db => db.Tips.Where(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])).Select(t => t.Id).SingleAsync());
        return (client, receipt, tipId);
    }

    private static Task<HttpResponseMessage> OpenAsync(HttpClient client, string receipt) =>
        Officers.PostFormAsync(client, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        });

    [Fact]
    public async Task Receipt_OpensTheStatusAndConversation_WithoutEchoingTheCode()
    {
        using var factory = new AppFactory();
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
        using var factory = new AppFactory();
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
        using var factory = new AppFactory();
        var (client, receipt, tipId) = await SubmitAsync(factory);
        await factory.ScopedAsync(async db =>
        {
            var tip = await db.Tips.SingleAsync(t => t.Id == tipId);
            var sealer = factory.Services.GetRequiredService<TipSealer>();
            var id = Guid.NewGuid();
            db.TipMessages.Add(new TipMessage { Id = id, TipId = tipId, Author = MessageAuthor.Officer, SentAtUtc = DateTime.UtcNow, SealedBody = sealer.SealMessage(tip, id, "Which terminal was it?") });
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
        using var factory = new AppFactory();
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
        using var factory = new AppFactory();
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
        using var factory = new AppFactory();
        var (client, receipt, tipId) = await SubmitAsync(factory);
        var fields = Html.FormFields(await Html.ParseAsync(await OpenAsync(client, receipt)), "main form");
        fields["Reply.Message"] = "Double-clicked answer";

        await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));
        await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));

        Assert.Equal(1, await factory.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

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
        using var factory = new AppFactory();
        var client = Officers.NewClient(factory);

        var page = await Html.ParseAsync(await OpenAsync(client, code));

        Assert.Contains(error, page.QuerySelector("#receipt-error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#public-status"));
    }

    [Fact]
    public async Task AfterFiveWrongCodes_AnswersAreSlowed_AndLaterRefused()
    {
        using var factory = new AppFactory(new() { ["FollowUp:FailureDelayScale"] = "0.25", ["FollowUp:BlockAfterFailures"] = "8" });
        var client = Officers.NewClient(factory);
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
}
