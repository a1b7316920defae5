using System.Net;
using AngleSharp.Dom;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Tips;

/// <summary>Ids name one element each, and every label points at a field: screen readers and clicks depend on both.</summary>
public sealed class TipFormIdsTests(SharedApp factory) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("/tips/new")]
    [InlineData("/fr/tips/new")]
    [InlineData("/es/tips/new")]
    [InlineData("/ar/tips/new?notice=2014-90001")]
    public async Task TipForm_HasUniqueIds_AndEveryLabelPointsAtAField(string path)
    {
        var response = await Clients.New(factory).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);

        var repeated = page.QuerySelectorAll("[id]").GroupBy(e => e.Id!).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"ids used more than once: {string.Join(", ", repeated)}");
        Assert.All(page.QuerySelectorAll("label[for]"), label =>
        {
            var target = page.GetElementById(label.GetAttribute("for")!);
            Assert.True(target is not null && target.LocalName is "input" or "select" or "textarea",
                $"the label \"{label.TextContent.Trim()}\" points at {label.GetAttribute("for")}, which is no field");
        });

        var certainty = page.QuerySelectorAll("input[name='Input.Certainty']");
        Assert.Equal(3, certainty.Length);
        Assert.All(certainty, radio => Assert.Equal(radio.Id, LabelOf(page, radio).GetAttribute("for")));
        Assert.Equal(3, certainty.Select(r => LabelOf(page, r).TextContent.Trim()).Distinct().Count());
    }

    private static IElement LabelOf(IDocument page, IElement input) =>
        page.QuerySelectorAll("label[for]").Single(l => l.GetAttribute("for") == input.Id);
}
