using System.Net;
using InfraTerra.Tests.Support;
using SkiaSharp;

namespace InfraTerra.Tests.Notices;

/// <summary>Cards are shown 180 x 240: phones with twice the pixel density get a picture twice as large.</summary>
public sealed class CardPictureTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private static async Task<(int Width, int Height)> SizeOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        return (bitmap.Width, bitmap.Height);
    }

    [Theory]
    [InlineData("/notices")]
    [InlineData("/")]
    [InlineData("/fr/operations/infra-terra")]
    public async Task Card_OffersA2xPicture_OfTwiceItsShownSize(string path)
    {
        var client = factory.CreateClient();
        var page = await Html.ParseAsync(await client.GetAsync(path));
        var img = page.QuerySelector(".notice-card img")!;

        Assert.Equal("180", img.GetAttribute("width"));
        Assert.Equal("240", img.GetAttribute("height"));
        var candidates = img.GetAttribute("srcset")!.Split(',', StringSplitOptions.TrimEntries)
            .Select(c => c.Split(' ')).ToDictionary(c => c[1], c => c[0]);
        Assert.Equal(img.GetAttribute("src"), candidates["1x"]);
        Assert.Equal((180, 240), await SizeOfAsync(await client.GetAsync(candidates["1x"])));
        Assert.Equal((360, 480), await SizeOfAsync(await client.GetAsync(candidates["2x"])));
        var again = await client.GetAsync(candidates["2x"]);
        Assert.Equal((360, 480), await SizeOfAsync(again));
        Assert.Contains("immutable", again.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("200")]
    [InlineData("720")]
    [InlineData("0")]
    [InlineData("-180")]
    [InlineData("180x")]
    public async Task Card_AtAnotherSize_Is404(string width)
    {
        var client = factory.CreateClient();
        var page = await Html.ParseAsync(await client.GetAsync("/notices"));
        var src = page.QuerySelector(".notice-card img")!.GetAttribute("src")!;

        var response = await client.GetAsync(src[..^"180".Length] + width);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Card_OfAPhotoOfAnotherNotice_Is404()
    {
        var client = factory.CreateClient();
        var page = await Html.ParseAsync(await client.GetAsync("/notices/2014-90001"));
        var photo = page.QuerySelector(".gallery img")!.GetAttribute("src")!;

        var response = await client.GetAsync(photo.Replace("2014-90001", "2014-90002", StringComparison.Ordinal) + "/card/360");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
