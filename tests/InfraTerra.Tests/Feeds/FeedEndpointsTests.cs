using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Features.Feeds;

namespace InfraTerra.Tests.Feeds;

public sealed class FeedEndpointsTests(SharedApp factory) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("/feeds/notices.atom", "application/atom+xml")]
    [InlineData("/sitemap.xml", "application/xml")]
    [InlineData("/robots.txt", "text/plain")]
    public async Task Get_AnswersInUtf8WithItsMediaType_SetsNoCookie_AndIsOutputCached(string path, string mediaType)
    {
        var client = factory.CreateClient();

        var first = await client.GetAsync(path);
        var second = await client.GetAsync(path);

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} sets a cookie");
        }

        Assert.True(second.Headers.Age is not null, $"{path} was not served from the output cache");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/feeds/notices.atom")]
    [InlineData("/sitemap.xml")]
    [InlineData("/robots.txt")]
    public async Task Head_Answers(string path)
    {
        var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/fr/feeds/notices.atom")]
    [InlineData("/es/sitemap.xml")]
    [InlineData("/ar/robots.txt")]
    public async Task UnderALanguagePrefix_IsNotFound(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
