using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// Decoding files is the costly part of a tip: the hourly budget is spent before it, one post per
/// client is decoded at a time, the decode line is bounded, and the question path has a ceiling
/// for all clients together. Every refusal keeps the text.
/// </summary>
public sealed class DecodingCostTests
{
    private const string Description = "Photos of the warehouse where the ivory is kept.";

    private static async Task<(HttpClient Client, Dictionary<string, string> Fields)> FilledFormAsync(AppFactory factory)
    {
        var client = Clients.New(factory);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = Description;
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        return (client, fields);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Dictionary<string, string> fields, params (string Name, byte[] Bytes, string DeclaredType)[] files)
    {
        using var content = TipForms.WithFiles(fields, "Input.Attachments", files);
        return await client.PostAsync("/tips/new", content);
    }

    private static async Task AssertTextKeptAsync(HttpResponseMessage response, string message)
    {
        var page = await Html.ParseAsync(response);
        Assert.Equal(Description, page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Contains(message, page.Body!.TextContent, StringComparison.Ordinal);
    }

    private static async Task<List<IDisposable>> HoldEverySlotAsync(DecodeGate gate)
    {
        var held = new List<IDisposable>();
        for (var i = 0; i < gate.Slots; i++)
        {
            held.Add(await gate.EnterAsync(CancellationToken.None));
        }

        return held;
    }

    [Fact]
    public async Task ReusedAnswer_WithFilesThatAreRefused_SpendsTheHourlyBudget_BeforeAnyDecoding()
    {
        using var factory = new AppFactory(new() { ["RateLimits:TipSubmissionsPerHour"] = "3", ["RateLimits:TipSubmissionsPerHourWithoutScript"] = "3" });
        var (client, fields) = await FilledFormAsync(factory);
        (string, byte[], string)[] files = [("big.jpg", TestFiles.Jpeg(1600, 1200), "image/jpeg"), ("cut.jpg", TestFiles.TruncatedJpeg(), "image/jpeg")];

        // The same answer and form key each time: a stored tip never ends the game, only the budget does.
        for (var i = 0; i < 3; i++)
        {
            var refused = await PostAsync(client, fields, files);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            await AssertTextKeptAsync(refused, "seems damaged or incomplete");
        }

        // With every decode slot taken, an answer that came after decoding would hang here.
        var held = await HoldEverySlotAsync(factory.Services.GetRequiredService<DecodeGate>());
        try
        {
            var response = await PostAsync(client, fields, files).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            await AssertTextKeptAsync(response, "You have sent many reports in a short time.");
        }
        finally
        {
            held.ForEach(slot => slot.Dispose());
        }

        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Fact]
    public async Task FullDecodeLine_Answers503WithRetryAfter_AndKeepsTheText()
    {
        using var factory = new AppFactory(new() { ["Uploads:DecodeSlots"] = "1", ["Uploads:DecodeQueueLimit"] = "0" });
        var (client, fields) = await FilledFormAsync(factory);
        var gate = factory.Services.GetRequiredService<DecodeGate>();

        var held = await HoldEverySlotAsync(gate);
        try
        {
            var response = await PostAsync(client, fields, ("map.png", TestFiles.Png(), "image/png")).WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            await AssertTextKeptAsync(response, "Many files are being checked just now");
            Assert.NotNull((await Html.ParseAsync(response)).QuerySelector("#files-again"));
        }
        finally
        {
            held.ForEach(slot => slot.Dispose());
        }

        // The same form, sent again once the line is free, goes through.
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, fields, ("map.png", TestFiles.Png(), "image/png"))).StatusCode);
    }

    [Fact]
    public async Task OneClient_HasOnePostDecodedAtATime()
    {
        using var factory = new AppFactory();
        var (client, fields) = await FilledFormAsync(factory);
        var turns = factory.Services.GetRequiredService<ClientDecodeTurns>();
        var clientKey = factory.Services.GetRequiredService<ClientKeys>().For(new DefaultHttpContext());

        Task<HttpResponseMessage> sending;
        using (await turns.EnterAsync(clientKey, CancellationToken.None))
        {
            sending = PostAsync(client, fields, ("map.png", TestFiles.Png(), "image/png"));
            await Task.Delay(500);
            Assert.False(sending.IsCompleted);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await sending.WaitAsync(TimeSpan.FromSeconds(20))).StatusCode);
        Assert.Equal(0, turns.Clients);
    }

    [Fact]
    public async Task TipsThroughTheQuestion_HaveACeilingForAllClientsTogether()
    {
        using var factory = new AppFactory(new() { ["RateLimits:QuestionTipsPerHourGlobal"] = "2" });
        for (var i = 0; i < 2; i++)
        {
            var (client, fields) = await FilledFormAsync(factory);
            Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields))).StatusCode);
        }

        var (last, lastFields) = await FilledFormAsync(factory);
        var response = await last.PostAsync("/tips/new", new FormUrlEncodedContent(lastFields));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await AssertTextKeptAsync(response, "Many reports have been sent with the question in the last hour");
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(lastFields["Input.FormKey"]))));
    }
}
