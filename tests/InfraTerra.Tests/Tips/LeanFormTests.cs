using AngleSharp.Dom;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// The tip form carries no client-side validation attributes (no script reads them, and their
/// default texts were English in every language), and it is the same form in every language.
/// </summary>
public sealed class LeanFormTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private static readonly string[] Paths =
        ["/tips/new?notice=2014-90001", "/fr/tips/new?notice=2014-90001", "/es/tips/new?notice=2014-90001", "/ar/tips/new?notice=2014-90001"];

    [Fact]
    public async Task TipForm_HasNoDataValAttributes_AndTheSameFieldsNamesAndIdsInEveryLanguage()
    {
        var shapes = new List<(string Path, List<string> Shape, List<string> Countries)>();
        foreach (var path in Paths)
        {
            var page = await Html.ParseAsync(await Clients.New(factory).GetAsync(path));
            var form = page.QuerySelector("main form")!;
            var all = form.QuerySelectorAll("*").ToList();
            Assert.NotEmpty(all);
            Assert.DoesNotContain(all.SelectMany(e => e.Attributes), a => a.Name == "data-val" || a.Name.StartsWith("data-val-", StringComparison.Ordinal));

            // The country list is sorted by its names in each language: compared as a set.
            var countries = form.QuerySelectorAll("#Input_SightingCountry option").Select(o => o.GetAttribute("value") ?? "").Order().ToList();
            // The widget's own translations are one more script outside English: not part of the form's fields.
            var fieldsAndText = all.Where(e => e.ParentElement?.Id != "Input_SightingCountry"
                && !(e.LocalName == "script" && (e.GetAttribute("src") ?? "").Contains("/i18n/", StringComparison.Ordinal)));
            shapes.Add((path, [.. fieldsAndText.Select(Shape)], countries));
        }

        Assert.Contains(shapes[0].Shape, s => s.StartsWith("textarea id=Input_Description name=Input.Description", StringComparison.Ordinal));
        Assert.True(shapes[0].Countries.Count > 200);
        foreach (var (path, shape, countries) in shapes.Skip(1))
        {
            var first = Enumerable.Range(0, Math.Min(shape.Count, shapes[0].Shape.Count)).FirstOrDefault(i => shape[i] != shapes[0].Shape[i], -1);
            Assert.True(shapes[0].Shape.SequenceEqual(shape), $"{path} differs from English at {first}: {(first < 0 ? "length" : shape[first] + " vs " + shapes[0].Shape[first])}");
            Assert.Equal(shapes[0].Countries, countries);
        }
    }

    /// <summary>Tag, identity and the names of its attributes; the values that are text or per-request tokens are left out.</summary>
    private static string Shape(IElement e)
    {
        var value = e.LocalName is "option" || e.GetAttribute("type") is "radio" or "checkbox" ? e.GetAttribute("value") : null;
        var attributes = string.Join(",", e.Attributes.Select(a => a.Name).Where(n => n != "lang").Order(StringComparer.Ordinal));
        return $"{e.LocalName} id={e.Id} name={e.GetAttribute("name")} type={e.GetAttribute("type")} for={e.GetAttribute("for")} value={value} [{attributes}]";
    }
}
