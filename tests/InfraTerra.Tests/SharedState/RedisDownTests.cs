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
    // Nothing listens on port 1; short timeouts keep the tests quick.
    private static AppFactory AppWithRedisDown() => new(new()
    {
        ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=300,asyncTimeout=1000,syncTimeout=1000,connectRetry=0",
        ["Redis:InstanceName"] = $"down-{Guid.NewGuid():N}:",
    });

    [Fact]
    public async Task RedisUnreachable_PublicPagesStillAnswer_UncachedFromTheCatalogue()
    {
        using var factory = AppWithRedisDown();
        var client = factory.CreateClient();

        var first = await client.GetAsync("/notices?q=marlowe");
        var second = await client.GetAsync("/notices/2014-90002");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("/notices/2014-90002", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task RedisUnreachable_ATipGetsTheFormBackWith503_AndNothingIsStored()
    {
        using var factory = AppWithRedisDown();
        var client = Clients.New(factory);

        var (response, fields) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "Seen near the harbour while Redis was away.");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }
}
