using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.FollowUp;

/// <summary>Files sent with a reply are decoded only after the reply's hourly budget is spent.</summary>
public sealed class ReplyCostTests
{
    [Fact]
    public async Task RepliesWithFilesThatAreRefused_SpendTheHourlyBudget_BeforeAnyDecoding()
    {
        using var factory = new AppFactory(new() { ["RateLimits:FollowUpRepliesPerHour"] = "2" });
        var client = Clients.New(factory);
        var (posted, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "Seen at the airport, departures hall.");
        var receipt = await TipForms.ReceiptAsync(client, posted);
        var opened = await Clients.PostFormAsync(client, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        });
        var fields = Html.FormFields(await Html.ParseAsync(opened), "main form");
        fields["Reply.Message"] = "Here are the photos again.";
        (string, byte[], string)[] files = [("big.jpg", TestFiles.Jpeg(1600, 1200), "image/jpeg"), ("cut.jpg", TestFiles.TruncatedJpeg(), "image/jpeg")];

        for (var i = 0; i < 2; i++)
        {
            using var content = TipForms.WithFiles(fields, "Reply.Attachments", files);
            var refused = await client.PostAsync("/tips/follow-up?handler=Reply", content);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var page = await Html.ParseAsync(refused);
            Assert.Contains("seems damaged or incomplete", page.Body!.TextContent, StringComparison.Ordinal);
            fields["Session"] = Html.FormFields(page, "main form")["Session"];
        }

        var gate = factory.Services.GetRequiredService<DecodeGate>();
        var held = new List<IDisposable>();
        for (var i = 0; i < gate.Slots; i++)
        {
            held.Add(await gate.EnterAsync(CancellationToken.None));
        }

        try
        {
            using var content = TipForms.WithFiles(fields, "Reply.Attachments", files);
            var response = await client.PostAsync("/tips/follow-up?handler=Reply", content).WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("Here are the photos again.", (await Html.ParseAsync(response)).QuerySelector("#Reply_Message")!.TextContent.Trim());
        }
        finally
        {
            held.ForEach(slot => slot.Dispose());
        }

        Assert.Equal(0, await factory.ScopedAsync(db => db.TipMessages.CountAsync()));
    }
}
