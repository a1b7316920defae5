using System.Net;
using AngleSharp.Dom;
using InfraTerra.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Shared;

/// <summary>What every public page says in its head: a site icon, and a description in the page's language.</summary>
public sealed class LayoutHeadTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private static readonly string[] Pages =
        ["/", "/notices", "/notices/2014-90001", "/operations/infra-terra", "/tips/new", "/tips/new?notice=2014-90001", "/tips/follow-up", "/about/protection"];

    private static readonly string[] Prefixes = ["", "/fr", "/es", "/ar"];

    private async Task<IDocument> PageAsync(string path)
    {
        var response = await Clients.New(factory).GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        return await Html.ParseAsync(response);
    }

    private static string Description(IDocument page)
    {
        var metas = page.Head!.QuerySelectorAll("meta[name='description']");
        Assert.Single(metas);
        var content = metas[0].GetAttribute("content");
        Assert.False(string.IsNullOrWhiteSpace(content));
        return content!;
    }

    [Fact]
    public async Task EveryPublicPage_InEveryLanguage_HasOneDescriptionInThatLanguage()
    {
        foreach (var page in Pages)
        {
            var english = Description(await PageAsync(page));
            foreach (var prefix in Prefixes.Skip(1))
            {
                var translated = Description(await PageAsync(prefix + (page == "/" ? "/" : page)));
                Assert.True(translated != english, $"{prefix}{page} has the English description: {translated}");
            }
        }

        var descriptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var page in Pages.Where(p => !p.Contains('?', StringComparison.Ordinal)))
        {
            Assert.True(descriptions.Add(Description(await PageAsync(page))), $"{page} repeats another page's description");
        }
    }

    [Fact]
    public async Task NoticePage_Description_NamesThePersonAndTheirCrime_InThePagesLanguage()
    {
        var english = Description(await PageAsync("/notices/2014-90001"));
        var french = Description(await PageAsync("/fr/notices/2014-90001"));
        var home = Description(await PageAsync("/fr/"));

        Assert.StartsWith("ONDRAKO, Fëisal Amani: wanted for environmental crime (Wildlife).", english, StringComparison.Ordinal);
        Assert.StartsWith("ONDRAKO, Fëisal Amani : personne recherchée pour crime environnemental (Espèces sauvages).", french, StringComparison.Ordinal);
        Assert.StartsWith("Dites aux enquêteurs ce que vous savez", home, StringComparison.Ordinal);
        Assert.NotEqual(home, french);
    }

    [Fact]
    public async Task ArrestedPerson_Description_SaysTheyAreNoLongerSought()
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<InfraTerra.Web.Data.AppDbContext>();
            var notice = db.Notices.Single(n => n.Reference == "2014-90002");
            notice.Status = InfraTerra.Web.Domain.NoticeStatus.Arrested;
            notice.StatusChangedAtUtc = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }

        try
        {
            Assert.Equal("MARLOWE-ASHBY, Quentin: this person is no longer sought.", Description(await PageAsync("/notices/2014-90002")));
        }
        finally
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<InfraTerra.Web.Data.AppDbContext>();
            var notice = db.Notices.Single(n => n.Reference == "2014-90002");
            notice.Status = InfraTerra.Web.Domain.NoticeStatus.Wanted;
            await db.SaveChangesAsync();
        }
    }

    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task SiteIcon_IsServedAsAnImage_AndCachedLong(string path, string contentType)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl?.MaxAge >= TimeSpan.FromDays(7), $"Cache-Control: {response.Headers.CacheControl}");
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ar/notices/2014-90001")]
    [InlineData("/es/tips/new")]
    public async Task Pages_LinkTheSiteIcon(string path)
    {
        var icons = (await PageAsync(path)).Head!.QuerySelectorAll("link[rel='icon']").Select(l => l.GetAttribute("href")).ToList();

        Assert.Contains("/favicon.ico", icons);
        Assert.Contains("/favicon.svg", icons);
    }
}
