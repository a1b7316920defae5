using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Tests.Infrastructure;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

public sealed class AttachmentTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private Task<(HttpResponseMessage Response, Dictionary<string, string> Fields)> SendAsync(params (string Name, byte[] Bytes, string DeclaredType)[] files) =>
        SendAsync(_ => { }, files);

    private async Task<(HttpResponseMessage Response, Dictionary<string, string> Fields)> SendAsync(
        Action<Dictionary<string, string>> fill, params (string Name, byte[] Bytes, string DeclaredType)[] files)
    {
        var client = Officers.NewClient(factory);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Photos of the warehouse where the ivory is kept.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        fill(fields);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var (name, bytes, declared) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(declared);
            content.Add(file, "Input.Attachments", name);
        }

        var response = await client.PostAsync("/tips/new", content);
        return (response, fields);
    }

    private Task<Tip> StoredTipAsync(Dictionary<string, string> fields) =>
        factory.ScopedAsync(db => db.Tips.Include(t => t.Attachments).SingleAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])));

    [Fact]
    public async Task Photo_IsReencodedWithoutExif_SealedWithTheOriginalsHash()
    {
        var original = TestFiles.JpegWithExif();
        Assert.Contains(TestFiles.ExifMarker, Encoding.Latin1.GetString(original), StringComparison.Ordinal);

        var (response, fields) = await SendAsync(("holiday.jpg", original, "image/jpeg"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tip = await StoredTipAsync(fields);
        var attachment = Assert.Single(tip.Attachments);
        var sealer = factory.Services.GetRequiredService<TipSealer>();
        var stored = sealer.OpenBytes(tip, attachment.Id, "attachment", attachment.SealedContent);
        Assert.Equal("image/jpeg", attachment.ContentType);
        Assert.Equal((320, 240), (attachment.Width, attachment.Height));
        Assert.Equal([0xFF, 0xD8, 0xFF], stored[..3]);
        Assert.DoesNotContain(TestFiles.ExifMarker, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain("Exif", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(original), sealer.OpenBytes(tip, attachment.Id, "original-sha256", attachment.SealedOriginalHash));
        Assert.DoesNotContain(TestFiles.ExifMarker, Encoding.Latin1.GetString(attachment.SealedContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PngAndPdf_AreAccepted_AndThePdfsAuthorIsBlanked()
    {
        var pdf = TestFiles.Pdf();
        var (response, fields) = await SendAsync(("map.png", TestFiles.Png(), "image/png"), ("letter.pdf", pdf, "application/pdf"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tip = await StoredTipAsync(fields);
        Assert.Equal(["application/pdf", "image/png"], tip.Attachments.Select(a => a.ContentType).Order());
        var stored = tip.Attachments.Single(a => a.ContentType == "application/pdf");
        var text = Encoding.Latin1.GetString(factory.Services.GetRequiredService<TipSealer>().OpenBytes(tip, stored.Id, "attachment", stored.SealedContent));
        Assert.DoesNotContain("Jane Sample Author", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SampleWriter", text, StringComparison.Ordinal);
        Assert.Equal(pdf.Length, text.Length);
        Assert.EndsWith("%%EOF\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", "is not a photo (JPEG, PNG, WebP) or a PDF")]
    [InlineData("bomb", "has too many pixels")]
    [InlineData("truncated", "seems damaged or incomplete")]
    [InlineData("polyglot", "contains more than a picture")]
    [InlineData("scripted-pdf", "active content")]
    [InlineData("svg", "is not a photo (JPEG, PNG, WebP) or a PDF")]
    public async Task BadFile_GetsAClearErrorNamingIt_KeepsTheTextAndStoresNothing(string kind, string error)
    {
        var (bytes, name) = kind switch
        {
            "text" => ("just some text, not a photo"u8.ToArray(), "photo.jpg"),
            "bomb" => (TestFiles.PixelBomb(), "big.png"),
            "truncated" => (TestFiles.TruncatedJpeg(), "half.jpg"),
            "polyglot" => (TestFiles.Polyglot(), "twofaced.jpg"),
            "scripted-pdf" => (TestFiles.Pdf("2 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"), "form.pdf"),
            _ => ("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "image.svg"),
        };

        var (response, fields) = await SendAsync((name, bytes, "image/jpeg"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var message = page.QuerySelector("[data-valmsg-for='Input.Attachments']")!.TextContent;
        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.Contains(error, message, StringComparison.Ordinal);
        Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#files-again"));
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"]))));
    }

    [Fact]
    public async Task MoreThanFiveFiles_AreRefused()
    {
        var files = Enumerable.Range(0, AttachmentInspector.MaxFiles + 1).Select(i => ($"p{i}.png", TestFiles.Png(), "image/png")).ToArray();

        var (response, _) = await SendAsync(files);

        var page = await Html.ParseAsync(response);
        Assert.Contains("at most 5 files", page.QuerySelector("[data-valmsg-for='Input.Attachments']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveFilesJustUnderTheirLimit_GetTheTotalSizeError_AndKeepTheText()
    {
        // 5 × 9 MB: each file is allowed, together they are not. This must be the form's own
        // explained error with the text kept, never the bare "too large" page.
        var files = Enumerable.Range(0, AttachmentInspector.MaxFiles)
            .Select(i => ($"p{i}.jpg", new byte[AttachmentInspector.MaxFileBytes - (1024 * 1024)], "image/jpeg")).ToArray();

        var (response, fields) = await SendAsync(files);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("All files together", page.QuerySelector("[data-valmsg-for='Input.Attachments']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
    }

    [Fact]
    public async Task RequestBeyondEveryLimit_GetsTheFriendly413Page()
    {
        var huge = new byte[(int)InfraTerra.Web.Features.Tips.NewModel.MaxRequestBytes + 1];

        var (response, _) = await SendAsync(("enormous.jpg", huge, "image/jpeg"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Too large", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task OversizeFile_GetsTheFormBackWithASizeError_NotAResetConnection()
    {
        var big = new byte[(int)AttachmentInspector.MaxFileBytes + 1];
        TestFiles.Jpeg().CopyTo(big, 0);

        var (response, fields) = await SendAsync(("huge.jpg", big, "image/jpeg"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("larger than 10 MB", page.QuerySelector("[data-valmsg-for='Input.Attachments']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
    }

    private static void KeepLocation(Dictionary<string, string> fields) => fields["Input.KeepPhotoLocation"] = "true";

    private PhotoLocation? OpenLocation(Tip tip, TipAttachment attachment) =>
        attachment.SealedLocation is { } sealedLocation
            ? PhotoLocation.FromBytes(factory.Services.GetRequiredService<TipSealer>().OpenBytes(tip, attachment.Id, AttachmentIntake.LocationPurpose, sealedLocation))
            : null;

    [Fact]
    public async Task TipForm_OffersToKeepThePhotosLocation_UncheckedByDefault()
    {
        var page = await Html.ParseAsync(await factory.CreateClient().GetAsync("/tips/new"));

        var box = (AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("input[type=checkbox][name='Input.KeepPhotoLocation']")!;
        Assert.False(box.IsChecked);
        Assert.NotNull(box.Closest("fieldset")!.QuerySelector("#Input_Attachments"));
        Assert.Contains("could identify you", page.QuerySelector("#location-hint")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhotoWithGps_WhenTheTipsterOptsIn_KeepsTheExactPositionSealed_AndTheImageStillHasNoExif()
    {
        var original = TestFiles.JpegWithExif(TestFiles.GpsTiff(TestFiles.Zurich));

        var (response, fields) = await SendAsync(KeepLocation, ("site.jpg", original, "image/jpeg"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tip = await StoredTipAsync(fields);
        var attachment = Assert.Single(tip.Attachments);
        var location = OpenLocation(tip, attachment);
        Assert.NotNull(location);
        Assert.Equal(47 + (22 / 60.0) + (36.84 / 3600), location.Latitude, 1e-9);
        Assert.Equal(8 + (32 / 60.0) + (30.12 / 3600), location.Longitude, 1e-9);
        Assert.DoesNotContain("47.37", Encoding.Latin1.GetString(attachment.SealedLocation!), StringComparison.Ordinal);

        var stored = factory.Services.GetRequiredService<TipSealer>().OpenBytes(tip, attachment.Id, AttachmentIntake.ContentPurpose, attachment.SealedContent);
        Assert.DoesNotContain("Exif", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain(TestFiles.ExifMarker, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.Null(ExifGps.Read(stored));
        Assert.Equal(-1, stored.AsSpan().IndexOf(original.AsSpan(TestFiles.GpsLayout.Latitude + 12, 24)));
    }

    [Fact]
    public async Task PhotoWithGps_WithoutTheOptIn_StoresNoPosition()
    {
        var (response, fields) = await SendAsync(("site.jpg", TestFiles.JpegWithExif(TestFiles.GpsTiff(TestFiles.Zurich)), "image/jpeg"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var attachment = Assert.Single((await StoredTipAsync(fields)).Attachments);
        Assert.Null(attachment.SealedLocation);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    public async Task PngAndWebPWithGps_WhenTheTipsterOptsIn_KeepThePosition(string kind)
    {
        var tiff = TestFiles.GpsTiff(TestFiles.Zurich, bigEndian: kind == "png");
        var file = kind == "png" ? ("map.png", TestFiles.PngWithExif(tiff), "image/png") : ("map.webp", TestFiles.WebPWithExif(tiff), "image/webp");

        var (response, fields) = await SendAsync(KeepLocation, file);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tip = await StoredTipAsync(fields);
        var attachment = Assert.Single(tip.Attachments);
        Assert.Equal(47.3769, OpenLocation(tip, attachment)!.Latitude, 1e-9);
        var stored = factory.Services.GetRequiredService<TipSealer>().OpenBytes(tip, attachment.Id, AttachmentIntake.ContentPurpose, attachment.SealedContent);
        Assert.DoesNotContain(TestFiles.ExifMarker, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("cyclic")]
    [InlineData("huge-count")]
    [InlineData("zero-denominator")]
    public async Task PhotoWithMalformedExif_AndTheOptIn_IsAcceptedWithoutAPosition(string kind)
    {
        var tiff = TestFiles.GpsTiff(kind == "zero-denominator" ? TestFiles.Zurich with { Longitude = [(8, 1), (32, 0), (0, 1)] } : TestFiles.Zurich);
        switch (kind)
        {
            case "truncated":
                tiff = tiff[..(TestFiles.GpsLayout.Longitude + 4)];
                break;
            case "cyclic":
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(TestFiles.GpsLayout.GpsPointerValue), TestFiles.GpsLayout.Ifd0);
                break;
            case "huge-count":
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(TestFiles.GpsLayout.GpsIfd), ushort.MaxValue);
                break;
        }

        var (response, fields) = await SendAsync(KeepLocation, ("odd.jpg", TestFiles.JpegWithExif(tiff), "image/jpeg"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var attachment = Assert.Single((await StoredTipAsync(fields)).Attachments);
        Assert.Null(attachment.SealedLocation);
    }
}
