using System.Net;
using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Localization;

/// <summary>The translations are compiled into satellite assemblies and found at run time.</summary>
public sealed partial class LocalizedPagesTests(SharedApp factory) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task French_NoticeList_HasTheFrenchHeading()
    {
        var response = await factory.CreateClient().GetAsync("/fr/notices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Avis de recherche", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("DONNÉES D'EXEMPLE", page.QuerySelector(".notice-card")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arabic_Home_IsRightToLeftAndInArabic()
    {
        var response = await factory.CreateClient().GetAsync("/ar/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("ar", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("rtl", page.DocumentElement.GetAttribute("dir"));
        var heading = page.QuerySelector("h1")!.TextContent;
        Assert.Equal("ساعدونا في العثور على فارّين مطلوبين بسبب جرائم بيئية", heading.Trim());
        Assert.Matches(ArabicLetters(), heading);
        Assert.Contains("إذا كنت في خطر، فاتصل أولًا بخدمات الطوارئ المحلية.", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spanish_FilterError_IsExplainedInSpanish()
    {
        var response = await factory.CreateClient().GetAsync("/es/notices?ageMin=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var errors = page.QuerySelector("#filter-errors")!.TextContent;
        Assert.Contains("Corrija la búsqueda, por favor:", errors, StringComparison.Ordinal);
        Assert.Contains("Edad mínima: no reconocemos este valor.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task French_UnknownAddress_GetsTheNotFoundPageInFrench()
    {
        var response = await factory.CreateClient().GetAsync("/fr/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Page introuvable", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("Il n'y a pas de page à cette adresse.", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\p{IsArabic}{3,}")]
    private static partial Regex ArabicLetters();
}
