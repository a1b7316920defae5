using System.Net;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Tests.Support;
using InfraTerra.Tests.Tips;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace InfraTerra.Tests.SharedState;

/// <summary>
/// Two nodes on one database and one Redis (docs/architecture.md, "Several nodes"): what one node
/// learns about a client, a solved check or a notice, the other knows at once.
/// </summary>
public sealed class TwoNodesTests
{
    private static readonly Dictionary<string, string?> CheapProof = new()
    {
        ["Captcha:ProofOfWork:Cost"] = "20",
        ["Captcha:ProofOfWork:ZeroHexDigits"] = "2",
    };

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ASolvedCheck_UsedOnOneNode_IsRefusedOnTheOtherForAnotherForm(bool redis)
    {
        using var nodes = TwoNodes.Start(redis, CheapProof);
        var onA = Clients.New(nodes.A);
        var onB = Clients.New(nodes.B);
        var solution = ProofOfWorkTests.Solve(await ProofOfWorkTests.ChallengeAsync(onA));

        var first = await OpenFormAsync(onA, "First tip, proved on node A.");
        first["Input.WidgetResponse"] = solution;
        Assert.Equal(HttpStatusCode.Redirect, (await onA.PostAsync("/tips/new", new FormUrlEncodedContent(first))).StatusCode);

        var second = await OpenFormAsync(onB, "A second tip riding on node A's proof of work.");
        second["Input.WidgetResponse"] = solution;
        var refused = await onB.PostAsync("/tips/new", new FormUrlEncodedContent(second));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("did not succeed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await nodes.A.ScopedAsync(db => db.Tips.CountAsync()));
        // Claimed in Redis when there is one, else in the database both nodes share.
        Assert.Equal(redis ? 0 : 1, await nodes.A.ScopedAsync(db => db.CheckClaims.CountAsync()));
    }

    [SkippableFact]
    public async Task AQuestionAnsweredOnOneNode_CannotBeReusedOnTheOther_WithRedis()
    {
        using var nodes = TwoNodes.Start(redis: true);
        var onA = Clients.New(nodes.A);
        var onB = Clients.New(nodes.B);
        var (sent, fields) = await TipForms.SubmitAsync(onA, "/tips/new", f => f["Input.Description"] = "A tip sent without JavaScript on node A.");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);

        // Another form on B with A's answered question (its token and answer).
        var other = Html.FormFields(await Html.ParseAsync(await onB.GetAsync("/tips/new")));
        other["Input.Description"] = "A second tip with the first one's answer.";
        other["Input.CheckToken"] = fields["Input.CheckToken"];
        other["Input.CheckAnswer"] = fields["Input.CheckAnswer"];
        Assert.Equal(HttpStatusCode.OK, (await onB.PostAsync("/tips/new", new FormUrlEncodedContent(other))).StatusCode);
        Assert.Equal(1, await nodes.A.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [SkippableFact]
    public async Task TheHourlyTipLimit_CountedOnOneNode_RefusesOnTheOther()
    {
        using var nodes = TwoNodes.Start(redis: true, new()
        {
            ["RateLimits:TipSubmissionsPerHour"] = "2",
            ["RateLimits:TipSubmissionsPerHourWithoutScript"] = "2",
        });
        var onA = Clients.New(nodes.A);
        var onB = Clients.New(nodes.B);
        for (var i = 0; i < 2; i++)
        {
            var (response, _) = await TipForms.SubmitAsync(onA, "/tips/new", f => f["Input.Description"] = $"Tip number {i} sent on node A.");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var (refused, _) = await TipForms.SubmitAsync(onB, "/tips/new", f => f["Input.Description"] = "A third tip, sent on node B.");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(2, await nodes.A.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [SkippableFact]
    public async Task WrongReceiptCodes_TriedOnOneNode_BlockTheClientOnTheOther()
    {
        using var nodes = TwoNodes.Start(redis: true, new()
        {
            ["FollowUp:FailureDelayScale"] = "0",
            ["FollowUp:BlockAfterFailures"] = (FollowUpGuard.FreeFailures + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var onA = Clients.New(nodes.A);
        var onB = Clients.New(nodes.B);
        for (var i = 0; i <= FollowUpGuard.FreeFailures; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TryReceiptAsync(onA, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryReceiptAsync(onB, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")).StatusCode);
    }

    [SkippableFact]
    public async Task FailedSignIns_OnOneNode_RefuseTheClientOnTheOther_EvenWithTheRightPassword()
    {
        using var nodes = TwoNodes.Start(redis: true, new() { ["RateLimits:SignInFailuresPerClient"] = "2" });
        await Officers.EnrolAsync(nodes.A, "two-nodes@example.org", Roles.Officer);
        var onA = Clients.New(nodes.A);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Officers.SubmitPasswordAsync(onA, "two-nodes@example.org", "guess-" + attempt)).StatusCode);
        }

        var onB = await Officers.SubmitPasswordAsync(Clients.New(nodes.B), "two-nodes@example.org", Officers.NewPassword);

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.Null(onB.Headers.Location);
    }

    [SkippableFact]
    public async Task ANoticeChangedOnOneNode_IsFreshOnTheOtherAtOnce_InItsPagesAndItsSearch()
    {
        // The periodic catch-up is made as slow as it goes, so only the message can explain freshness.
        using var nodes = TwoNodes.Start(redis: true, new() { ["Catalogue:RefreshSeconds"] = "60" });
        var onB = nodes.B.CreateClient();
        Assert.DoesNotContain("Freshly changed caution", await onB.GetStringAsync("/notices/2014-90002"), StringComparison.Ordinal);
        Assert.Contains("/notices/2014-90002", await onB.GetStringAsync("/notices?q=marlowe"), StringComparison.Ordinal);
        Assert.DoesNotContain("/notices/2014-90002", await onB.GetStringAsync("/notices?q=renamed"), StringComparison.Ordinal);

        await nodes.A.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == "2014-90002");
            notice.Caution = "Freshly changed caution";
            notice.FamilyName = "Renamed";
            notice.RefreshSearchName();
            return await db.SaveChangesAsync();
        });

        // The message crosses Redis in milliseconds; well within the wait, twelve times less than the periodic catch-up.
        await EventuallyAsync(async () =>
            (await onB.GetStringAsync("/notices/2014-90002")).Contains("Freshly changed caution", StringComparison.Ordinal)
            && (await onB.GetStringAsync("/notices?q=renamed")).Contains("/notices/2014-90002", StringComparison.Ordinal)
            && !(await onB.GetStringAsync("/notices?q=marlowe")).Contains("/notices/2014-90002", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task SharedState_LivesInRedis_UnderTheAppsPrefix_AndHoldsNeitherTheClientsAddressNorTheHashingKey()
    {
        // A real Kestrel port behind a trusted proxy (the loopback), so the client has a real, distinctive address.
        const string Address = "198.51.100.173";
        var prefix = $"test-{Guid.NewGuid():N}:";
        using var app = new AppFactory(new(CheapProof)
        {
            ["ConnectionStrings:Redis"] = RealParts.RequireRedis(),
            ["Redis:InstanceName"] = prefix,
            ["Proxy:TrustedProxies"] = "127.0.0.1, ::1",
            ["FollowUp:FailureDelayScale"] = "0",
        });
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(app.StartKestrel()) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", Address);
        await Officers.CreateAsync(app, "redis-traces@example.org", Roles.Officer);

        await client.GetStringAsync("/notices?q=marlowe");
        var fields = await OpenFormAsync(client, "A tip whose traces in Redis are looked at.");
        fields["Input.WidgetResponse"] = ProofOfWorkTests.Solve(await ProofOfWorkTests.ChallengeAsync(client));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TryReceiptAsync(client, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Officers.SubmitPasswordAsync(client, "redis-traces@example.org", "a-wrong-password")).StatusCode);

        var contents = await RedisContentsAsync(prefix);
        var keys = contents.Keys.ToList();

        Assert.Contains(keys, k => k.Contains("/notices", StringComparison.OrdinalIgnoreCase)); // the output cache's entry for the page
        Assert.Contains(keys, k => k.StartsWith(prefix + "rl:fw:{tips:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith(prefix + "rl:fw:{proof-checks:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith(prefix + "claim:", StringComparison.Ordinal));
        // The forwarded address was the one hashed (so the assertions below are about it), by the key of the day.
        var lookup = app.Services.GetRequiredService<TipKeys>().LookupKey;
        var dayKey = ClientKeys.DayKeyOf(lookup, DateOnly.FromDateTime(DateTime.UtcNow));
        var hash = Convert.ToBase64String(HMACSHA256.HashData(dayKey, IPAddress.Parse(Address).GetAddressBytes()), 0, 16);
        Assert.Contains(prefix + "follow-up-failures:" + hash, keys);
        Assert.Contains(prefix + "sign-in-failures:" + hash, keys);

        Assert.DoesNotContain(keys, k => k.Contains("client-hash", StringComparison.Ordinal));
        var forbidden = new List<byte[]>
        {
            Encoding.ASCII.GetBytes(Address),
            IPAddress.Parse(Address).GetAddressBytes(),
            dayKey,
            Encoding.ASCII.GetBytes(Convert.ToBase64String(dayKey)),
            Encoding.ASCII.GetBytes(Convert.ToHexString(dayKey)),
            Encoding.ASCII.GetBytes(Convert.ToHexStringLower(dayKey)),
            lookup,
            Encoding.ASCII.GetBytes(Convert.ToBase64String(lookup)),
        };
        foreach (var (key, values) in contents)
        {
            foreach (var bytes in values.Prepend(Encoding.UTF8.GetBytes(key)))
            {
                Assert.DoesNotContain(forbidden, f => bytes.AsSpan().IndexOf(f) >= 0);
            }
        }
    }

    /// <summary>Every key under <paramref name="prefix"/> with every value it holds (strings, hashes' fields and values, lists, sets, sorted sets).</summary>
    private static async Task<Dictionary<string, List<byte[]>>> RedisContentsAsync(string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RealParts.RequireRedis());
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var database = redis.GetDatabase();
        var contents = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
        {
            RedisValue[] values = await database.KeyTypeAsync(key) switch
            {
                RedisType.String => [await database.StringGetAsync(key)],
                RedisType.Hash => [.. (await database.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value })],
                RedisType.List => await database.ListRangeAsync(key),
                RedisType.Set => await database.SetMembersAsync(key),
                RedisType.SortedSet => await database.SortedSetRangeByRankAsync(key),
                var other => throw new InvalidOperationException($"{key} is a {other}, which this test cannot read."),
            };
            contents[key.ToString()] = [.. values.Where(v => !v.IsNull).Select(v => (byte[])v!)];
        }

        Assert.NotEmpty(contents);
        return contents;
    }

    private static async Task<Dictionary<string, string>> OpenFormAsync(HttpClient client, string description)
    {
        var fields = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/new")));
        fields["Input.Description"] = description;
        return fields;
    }

    private static async Task<HttpResponseMessage> TryReceiptAsync(HttpClient client, string code)
    {
        var fields = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/follow-up")));
        fields["Receipt"] = code;
        return await client.PostAsync("/tips/follow-up?handler=Open", new FormUrlEncodedContent(fields));
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        // Far below the 60 s periodic catch-up these tests set, with room for a loaded CI machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The other node still served the old notice after 5 s.");
            await Task.Delay(50);
        }
    }
}
