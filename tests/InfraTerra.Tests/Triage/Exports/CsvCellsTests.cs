using InfraTerra.Web.Features.Triage.Exports;

namespace InfraTerra.Tests.Triage.Exports;

public sealed class CsvCellsTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+x", "'+x")]
    [InlineData("-x", "'-x")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\t=cmd", "'\t=cmd")]
    [InlineData("\r=cmd", "'\r=cmd")]
    [InlineData("\n=cmd", "'\n=cmd")]
    [InlineData(" =1", "' =1")]
    [InlineData("   @SUM(A1)", "'   @SUM(A1)")]
    [InlineData("＝HYPERLINK(\"x\")", "'＝HYPERLINK(\"x\")")]
    public void ACellThatStartsLikeAFormula_GetsAQuoteInFront(string cell, string expected) =>
        Assert.Equal(expected, CsvCells.Neutralise(cell));

    [Theory]
    [InlineData("Seen at the harbour = near the fish market")]
    [InlineData("x=1")]
    [InlineData("'quoted")]
    [InlineData("2014-90002")]
    [InlineData("")]
    public void AnyOtherCell_IsLeftAsItIs(string cell) =>
        Assert.Equal(cell, CsvCells.Neutralise(cell));

    [Fact]
    public void NoValue_IsAnEmptyCell() => Assert.Equal("", CsvCells.Neutralise(null));
}
