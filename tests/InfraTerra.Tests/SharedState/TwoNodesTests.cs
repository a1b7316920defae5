using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Tests.Tips;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Abuse;
using Microsoft.EntityFrameworkCore;
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

        // The message crosses Redis in milliseconds; a second is ample, thirty times less than the periodic catch-up.
        await EventuallyAsync(async () =>
            (await onB.GetStringAsync("/notices/2014-90002")).Contains("Freshly changed caution", StringComparison.Ordinal)
            && (await onB.GetStringAsync("/notices?q=renamed")).Contains("/notices/2014-90002", StringComparison.Ordinal)
            && !(await onB.GetStringAsync("/notices?q=marlowe")).Contains("/notices/2014-90002", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task SharedState_LivesInRedis_UnderTheAppsPrefix_AndHoldsNoAddress()
    {
        using var nodes = TwoNodes.Start(redis: true, CheapProof);
        var onA = Clients.New(nodes.A);
        await onA.GetStringAsync("/notices?q=marlowe");
        var fields = await OpenFormAsync(onA, "A tip whose traces in Redis are looked at.");
        fields["Input.WidgetResponse"] = ProofOfWorkTests.Solve(await ProofOfWorkTests.ChallengeAsync(onA));
        Assert.Equal(HttpStatusCode.Redirect, (await onA.PostAsync("/tips/new", new FormUrlEncodedContent(fields))).StatusCode);

        var keys = await nodes.RedisKeysAsync();

        Assert.Contains(keys, k => k.Contains("/notices", StringComparison.OrdinalIgnoreCase)); // the output cache's entry for the page
        Assert.Contains(keys, k => k.StartsWith(nodes.Prefix + "rl:fw:{tips:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith(nodes.Prefix + "rl:fw:{proof-checks:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith(nodes.Prefix + "claim:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith(nodes.Prefix + "client-hash-key:", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.Contains("127.0.0.1", StringComparison.Ordinal) || k.Contains("::1", StringComparison.Ordinal));
        Assert.Equal(0, await nodes.A.ScopedAsync(db => db.CheckClaims.CountAsync()));
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
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The other node still served the old notice after 2 s.");
            await Task.Delay(50);
        }
    }
}
