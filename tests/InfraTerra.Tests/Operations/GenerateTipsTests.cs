using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Operations;

public sealed class GenerateTipsTests
{
    private static async Task<(int Exit, string Output)> RunAsync(AppFactory factory, params string[] args)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, args, output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task GenerateTips_MakesSealedTipsAnOfficerOpens_WithTrueClusterCountsAndStoredScores()
    {
        using var factory = new AppFactory();
        var supervisor = await Officers.SignInFirstTimeAsync(factory, "bulk.supervisor@example.org", Roles.Supervisor);

        var (exit, output) = await RunAsync(factory, "generate-tips", "--count", "200", "--seed", "7", "--force-sample-data");

        Assert.True(exit == 0, output);
        Assert.Contains("Added 200 sample tips", output, StringComparison.Ordinal);
        var now = DateTime.UtcNow;
        var tips = await factory.ScopedAsync(db => db.Tips.AsNoTracking().Include(t => t.Notice).ToListAsync());
        var clusters = await factory.ScopedAsync(db => db.TipClusters.AsNoTracking().ToListAsync());
        Assert.Equal(200, tips.Count);

        // Sealed as the tip store seals: it opens them, and they say what they are.
        factory.WithStore(store =>
        {
            foreach (var tip in tips)
            {
                Assert.StartsWith(SampleTipGenerator.Marker, store.OpenContent(tip).Description, StringComparison.Ordinal);
            }

            return 0;
        });
        Assert.Equal(200, tips.Select(t => Convert.ToHexString(t.ReceiptLookupHash)).Distinct().Count());
        Assert.Equal(200, tips.Select(t => Convert.ToHexString(t.IdempotencyKeyHash)).Distinct().Count());

        // Most about the notices, some for the general desk, spread over every stage of the work.
        Assert.Contains(tips, t => t.NoticeId is null && t.Desk == Tip.GeneralDesk);
        Assert.True(tips.Count(t => t.NoticeId is not null) > 150);
        Assert.True(tips.Select(t => t.Status).Distinct().Count() >= 5, string.Join(", ", tips.Select(t => t.Status).Distinct()));
        Assert.Contains(tips, t => t.SourceGrade is not null);
        Assert.Contains(tips, t => t.AssignedToId is not null);
        Assert.Contains(tips, t => t.FirstActionAtUtc is not null);
        Assert.All(tips, t =>
        {
            Assert.Equal(TipsterTime.Coarse(t.SubmittedAtUtc), t.SubmittedAtUtc);
            Assert.InRange(t.SubmittedAtUtc, now.AddDays(-560), now);
            Assert.True(t.SightedOn is null || t.SightedOn <= DateOnly.FromDateTime(t.SubmittedAtUtc), $"sighted {t.SightedOn} after {t.SubmittedAtUtc}");
            Assert.True(t.FirstActionAtUtc is null || t.FirstActionAtUtc >= t.SubmittedAtUtc);
        });

        // Each cluster counts exactly its members, and every score is the rule's for its inputs.
        Assert.NotEmpty(clusters);
        Assert.All(clusters, c => Assert.Equal(tips.Count(t => t.ClusterId == c.Id), c.TipCount));
        var sizes = clusters.ToDictionary(c => c.Id, c => c.TipCount);
        var today = DateOnly.FromDateTime(now);
        Assert.All(tips, t =>
        {
            var expected = TipPriority.Of(new PriorityInputs(
                t.ThreatToLife, t.Notice?.Status, t.Notice?.Caution is not null, t.SightedOn, t.TipsterSignals,
                t.SourceGrade, t.InformationGrade, t.ClusterId is { } c ? sizes[c] : 0, t.AnswerUnread), today);
            Assert.Equal(expected, new Priority(t.PriorityScore, t.PriorityReasons));
        });

        // Over HTTP, as an officer reads one: a tip with a conversation, its messages opened.
        var talked = await factory.ScopedAsync(db => db.TipMessages.Select(m => m.TipId).Distinct().ToListAsync());
        Assert.NotEmpty(talked);
        var view = await supervisor.GetAsync($"/triage/tips/{talked[0]}");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        var page = await view.Content.ReadAsStringAsync();
        Assert.True(page.Split(SampleTipGenerator.Marker).Length >= 3, "the tip and its officer's message are shown opened");
    }

    [Fact]
    public async Task GenerateTips_OutsideDevelopment_IsRefusedWithoutTheFlag_AndAddsNothing()
    {
        using var factory = new AppFactory();

        var (exit, output) = await RunAsync(factory, "generate-tips", "--count", "10");

        Assert.Equal(2, exit);
        Assert.Contains("runs only in Development (this is Testing)", output, StringComparison.Ordinal);
        Assert.Contains("--force-sample-data", output, StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Theory]
    [InlineData("0", "--count must be a whole number from 1 to 10,000,000.")]
    [InlineData("ten", "--count must be a whole number from 1 to 10,000,000.")]
    [InlineData("10000001", "--count must be a whole number from 1 to 10,000,000.")]
    public async Task GenerateTips_WithABadCount_SaysWhatItTakes(string count, string message)
    {
        using var factory = new AppFactory();

        var (exit, output) = await RunAsync(factory, "generate-tips", "--count", count, "--force-sample-data");

        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateTips_WithABadSeed_SaysWhatItTakes()
    {
        using var factory = new AppFactory();

        var (exit, output) = await RunAsync(factory, "generate-tips", "--count", "5", "--seed", "-3", "--force-sample-data");

        Assert.Equal(2, exit);
        Assert.Contains("--seed must be a whole number from 0 to 2147483647.", output, StringComparison.Ordinal);
    }
}
