using System.Net;
using InfraTerra.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.SharedState;

/// <summary>
/// A configured Redis that cannot be reached: what needs it (a check's claim, the budgets) cannot be
/// decided, so a tip is neither let through unchecked nor lost in an error page: 503, text kept.
/// </summary>
public sealed class RedisDownTests
{
    [Fact]
    public async Task RedisUnreachable_ATipGetsTheFormBackWith503_AndNothingIsStored()
    {
        using var factory = new AppFactory(new()
        {
            // Nothing listens on port 1; short timeouts keep the test quick.
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=300,asyncTimeout=1000,syncTimeout=1000,connectRetry=0",
            ["Redis:InstanceName"] = $"down-{Guid.NewGuid():N}:",
        });
        var client = Clients.New(factory);

        var (response, fields) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "Seen near the harbour while Redis was away.");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }
}
