using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Domain;

public sealed class TipSimilarityTests
{
    private static readonly DateOnly Day = new(2026, 11, 28);

    private static SimilarityInput Tip(string description, string? place = null, DateOnly? on = null, string? country = null) =>
        new(on, country, place, description);

    [Fact]
    public void NearDuplicate_ScoresHigh_WithEveryReason()
    {
        var a = Tip("Saw him drinking coffee at the Café du Port with two men, wearing a blue jacket.", "Café du Port, quai 3, Durban", Day, "ZA");
        var b = Tip("saw him at cafe du port drinking coffee with 2 men in a blue jacket", "Cafe du Port quai 3 Durban", Day, "ZA");

        var match = TipSimilarity.Compare(a, b);

        Assert.True(match.Score >= 80, $"score {match.Score}");
        Assert.Contains("same day", match.Reasons);
        Assert.Contains("same country", match.Reasons);
        Assert.Contains("same place", match.Reasons);
        Assert.Contains(match.Reasons, r => r.StartsWith("similar text ", StringComparison.Ordinal) && r.EndsWith(" %", StringComparison.Ordinal));
    }

    [Fact]
    public void UnrelatedTip_ScoresBelowTheMinimum_WithNoReason()
    {
        var a = Tip("Saw him drinking coffee at the Café du Port with two men.", "Café du Port, Durban", Day, "ZA");
        var b = Tip("Heard that he bought a red truck from a dealer last spring.", "Sandton car market", Day.AddDays(-40), "KE");

        var match = TipSimilarity.Compare(a, b);

        Assert.True(match.Score < TipSimilarity.MinimumScore, $"score {match.Score}");
        Assert.Empty(match.Reasons);
    }

    [Theory]
    [InlineData(0, "same day", 20)]
    [InlineData(1, "1 day apart", 15)]
    [InlineData(3, "3 days apart", 10)]
    [InlineData(6, "same week", 5)]
    public void SightingDates_CloserScoreMore(int daysApart, string reason, int score)
    {
        var match = TipSimilarity.Compare(Tip("x", on: Day), Tip("y", on: Day.AddDays(daysApart)));

        Assert.Equal(score, match.Score);
        Assert.Equal([reason], match.Reasons);
    }

    [Fact]
    public void SightingDates_FarApartOrNotSaid_CountNothing()
    {
        Assert.Equal(0, TipSimilarity.Compare(Tip("x", on: Day), Tip("y", on: Day.AddDays(30))).Score);
        Assert.Equal(0, TipSimilarity.Compare(Tip("x", on: Day), Tip("y")).Score);
    }

    [Fact]
    public void Country_IsComparedWithoutCase_AndMissingIsNotTheSame()
    {
        Assert.Equal(["same country"], TipSimilarity.Compare(Tip("x", country: "ZA"), Tip("y", country: "za")).Reasons);
        Assert.Empty(TipSimilarity.Compare(Tip("x"), Tip("y")).Reasons);
    }

    [Fact]
    public void Words_FoldCaseAndAccents_AndDropStopWords()
    {
        Assert.Equal(["cafe", "port", "durban"], TipSimilarity.Words("The CAFÉ du Port, in Durban!"));
        Assert.Equal(["senor", "garcia"], TipSimilarity.Words("Señor García"));
        Assert.Empty(TipSimilarity.Words("  "));
        Assert.Empty(TipSimilarity.Words(null));
    }

    [Fact]
    public void Jaccard_IsSharedOverAll_AndZeroWhenEitherSideIsEmpty()
    {
        Assert.Equal(1.0, TipSimilarity.Jaccard(["abc", "bcd"], ["bcd", "abc"]));
        Assert.Equal(1.0 / 3, TipSimilarity.Jaccard(["abc", "bcd"], ["bcd", "cde"]), 6);
        Assert.Equal(0, TipSimilarity.Jaccard([], []));
        Assert.Equal(0, TipSimilarity.Jaccard(["abc"], []));
    }

    [Fact]
    public void AMisspeltWord_StillSharesMostOfItsText()
    {
        var a = TipSimilarity.Trigrams("Mombasa harbour warehouse");
        var b = TipSimilarity.Trigrams("Mombassa harbor warehouse");

        Assert.True(TipSimilarity.Jaccard(a, b) > 0.5);
    }

    [Fact]
    public void Compare_IsSymmetric()
    {
        var a = Tip("Seen at the bus station at dawn, carrying a green bag", "Bus station", Day, "KE");
        var b = Tip("He was at the bus station early carrying a bag", "Main bus station", Day.AddDays(1), "KE");

        Assert.Equal(TipSimilarity.Compare(a, b), TipSimilarity.Compare(b, a), new MatchComparer());
    }

    [Theory]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("3f2504e04f8911d39a0c0305e82c3301")]
    [InlineData("https://infraterra.example/triage/tips/3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData(" /triage/tips/3f2504e0-4f89-11d3-9a0c-0305e82c3301#similar ")]
    public void TipReference_IsReadFromAnIdOrALink(string text) =>
        Assert.Equal(Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), ClusterRules.ParseTipReference(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tip 12")]
    [InlineData("/triage/tips/not-a-guid")]
    public void TipReference_WithNoTipInIt_IsNull(string? text) => Assert.Null(ClusterRules.ParseTipReference(text));

    [Fact]
    public void TipReference_TooLong_IsNull() =>
        Assert.Null(ClusterRules.ParseTipReference(new string('/', ClusterRules.ReferenceMax) + Guid.NewGuid()));

    [Fact]
    public void Cluster_NeverMixesNotices()
    {
        Assert.NotNull(ClusterRules.Check(1, 2));
        Assert.Null(ClusterRules.Check(1, 1));
        Assert.Null(ClusterRules.Check(null, 2));
        Assert.Null(ClusterRules.Check(null, null));
    }

    private sealed class MatchComparer : IEqualityComparer<SimilarityMatch>
    {
        public bool Equals(SimilarityMatch? x, SimilarityMatch? y) => x!.Score == y!.Score && x.Reasons.SequenceEqual(y.Reasons);

        public int GetHashCode(SimilarityMatch obj) => obj.Score;
    }
}
