using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
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
    public async Task RedisUnreachable_WithTheDefaultTimeouts_PublicPagesDoNotWaitForTheCache()
    {
        // StackExchange.Redis's default asyncTimeout is 5 s: a page that waited for the cache's read and
        // write would take about 12 s. Ten pages in well under one such wait: none of them waited.
        using var factory = new AppFactory(new()
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectRetry=0",
            ["Redis:InstanceName"] = $"down-{Guid.NewGuid():N}:",
        });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/notices")).StatusCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/notices?q=marlowe&page=1&n={i}")).StatusCode);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"ten public pages took {clock.Elapsed.TotalSeconds:F1} s with Redis away");
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

    [Fact]
    public async Task RedisUnreachable_OfficerSignIn_Answers503WithTheEmailKept_AndCountsNoFailedAttempt()
    {
        using var factory = AppWithRedisDown();
        await Officers.CreateAsync(factory, "redis-down@example.org", Roles.Officer);
        var client = Clients.New(factory);

        var response = await Officers.SubmitPasswordAsync(client, "redis-down@example.org", "a-wrong-password");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)));
        var page = await Html.ParseAsync(response);
        Assert.Contains("Sign-in is unavailable just now", page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("redis-down@example.org", page.QuerySelector("input[name='Input.Email']")!.GetAttribute("value"));
        Assert.True(string.IsNullOrEmpty(page.QuerySelector("input[name='Input.Password']")!.GetAttribute("value")));
        // The password was never tried: no lockout count, no failed sign-in in the audit log.
        Assert.Equal(0, await factory.ScopedAsync(db => db.Users.Where(u => u.Email == "redis-down@example.org").Select(u => u.AccessFailedCount).SingleAsync()));
        Assert.Equal(0, await factory.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.SignInFailed)));
    }
}
