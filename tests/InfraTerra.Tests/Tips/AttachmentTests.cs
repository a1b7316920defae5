using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Tests.Support;
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
        var client = Clients.New(factory);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Photos of the warehouse where the ivory is kept.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        fill(fields);
        using var content = TipForms.WithFiles(fields, "Input.Attachments", files);
        var response = await client.PostAsync("/tips/new", content);
        return (response, fields);
    }

    private Task<Tip> StoredTipAsync(Dictionary<string, string> fields) =>
        factory.ScopedAsync(db => db.Tips.Include(t => t.Attachments).SingleAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])));

    [Fact]
    public async Task Photo_IsReencodedWithoutExif_AndSealed()
    {
        var original = TestFiles.JpegWithExif();
        Assert.Contains(TestFiles.ExifMarker, Encoding.Latin1.GetString(original), StringComparison.Ordinal);

        var (response, fields) = await SendAsync(("holiday.jpg", original, "image/jpeg"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tip = await StoredTipAsync(fields);
        var attachment = Assert.Single(tip.Attachments);
        var stored = factory.WithStore(s => s.OpenAttachment(tip, attachment));
        Assert.Equal("image/jpeg", attachment.ContentType);
        Assert.Equal((320, 240), (attachment.Width, attachment.Height));
        Assert.Equal([0xFF, 0xD8, 0xFF], stored[..3]);
        Assert.DoesNotContain(TestFiles.ExifMarker, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain("Exif", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain(TestFiles.ExifMarker, Encoding.Latin1.GetString(attachment.SealedContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OriginalsFingerprint_IsAnHmacUnderThePortalsKey_NotTheFilesSha256()
    {
        var original = TestFiles.JpegWithExif();

        var (response, fields) = await SendAsync(("holiday.jpg", original, "image/jpeg"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tip = await StoredTipAsync(fields);
        var kept = factory.WithStore(s => s.OpenOriginalFingerprint(tip, Assert.Single(tip.Attachments)));
        Assert.Equal(Fingerprints.Of(factory, original), kept);
        Assert.NotEqual(SHA256.HashData(original), kept);
    }

    [Fact]
    public async Task PngAndPdf_AreAccepted_AndThePdfIsStoredRebuiltWithoutItsAuthor()
    {
        var pdf = TestFiles.Pdf();
        var (response, fields) = await SendAsync(("map.png", TestFiles.Png(), "image/png"), ("letter.pdf", pdf, "application/pdf"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tip = await StoredTipAsync(fields);
        Assert.Equal(["application/pdf", "image/png"], tip.Attachments.Select(a => a.ContentType).Order());
        var stored = tip.Attachments.Single(a => a.ContentType == "application/pdf");
        var text = Encoding.Latin1.GetString(factory.WithStore(s => s.OpenAttachment(tip, stored)));
        Assert.DoesNotContain("Jane Sample Author", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SampleWriter", text, StringComparison.Ordinal);
        Assert.Contains(TestPdfs.PageText, text, StringComparison.Ordinal);
        Assert.EndsWith("%%EOF\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", "is not a photo (JPEG, PNG, WebP) or a PDF")]
    [InlineData("bomb", "has too many pixels")]
    [InlineData("truncated", "seems damaged or incomplete")]
    [InlineData("polyglot", "contains more than a picture")]
    [InlineData("scripted-pdf", "active content")]
    [InlineData("jpeg2000-pdf", "pictures in a format we cannot clean")]
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
            "jpeg2000-pdf" => (TestPdfs.File(TestPdfs.PageObjects(jpeg: TestFiles.Jpeg()).Replace("/DCTDecode", "/JPXDecode", StringComparison.Ordinal)), "scan.pdf"),
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
        factory.WithStore(s => s.OpenLocation(tip, attachment));

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

        var stored = factory.WithStore(s => s.OpenAttachment(tip, attachment));
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
        var stored = factory.WithStore(s => s.OpenAttachment(tip, attachment));
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

    private static string Text(Inspection inspection) => Encoding.Latin1.GetString(inspection.Cleaned);

    [Fact]
    public void Pdf_WhoseCompressedStreamSpellsActiveNames_IsAccepted()
    {
        var data = TestFiles.RandomBytes(1_000_000, seed: 11, "/JS ", "/JavaScript ", "/Launch/", "/EmbeddedFile>", "(unbalanced ", "/J#61vaScript ");
        var pdf = TestFiles.PdfWithStream(data);

        var inspection = AttachmentInspector.Inspect(pdf);

        Assert.Null(inspection.Problem);
        Assert.DoesNotContain("Jane Sample Author", Text(inspection), StringComparison.Ordinal);
        Assert.Contains(TestPdfs.PageText, Text(inspection), StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_WithAStreamWhoseLengthIsIndirect_IsStillSkippedToItsEnd()
    {
        var pdf = TestFiles.PdfWithStream(TestFiles.RandomBytes(200_000, seed: 12, "/JS ", "/JavaScript "), extra: "9 0 obj\n200000\nendobj\n");
        var indirect = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(pdf).Replace("/Length 200000", "/Length 9 0 R ", StringComparison.Ordinal));

        Assert.Null(AttachmentInspector.Inspect(indirect).Problem);
    }

    [Theory]
    [InlineData("/S /J#61vaScript /J#53 (app.alert(1))")]
    [InlineData("/S /#4A#61#76#61#53#63#72#69#70#74")]
    [InlineData("/OpenAction << /S /Launch /F (calc.exe) >>")]
    [InlineData("/Names << /EmbeddedFiles 4 0 R >>")]
    [InlineData("/Type /Filespec /F (a.exe) /EF << /F 5 0 R >>")]
    [InlineData("/S /SubmitForm /F (https://example.org/collect)")]
    [InlineData("/S /GoToR /F (\\\\evil.example\\share\\doc.pdf)")]
    [InlineData("/AcroForm << /XFA 6 0 R >>")]
    [InlineData("/Subtype /RichMedia")]
    public void Pdf_WithActiveNames_EvenEscaped_IsRefused(string dictionary)
    {
        var pdf = TestFiles.Pdf($"2 0 obj\n<< {dictionary} >>\nendobj\n");

        Assert.Equal(UploadProblem.ActiveContent, AttachmentInspector.Inspect(pdf).Problem);
    }

    [Theory]
    [InlineData("<< /S /JavaScript /JS (app.alert(1)) >>", "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode")]
    [InlineData("<< /S /J#61vaScript /JS (app.alert(1)) >>", "/Type /Obj#53tm /N 1 /First 4 /Filter [/FlateDecode]")]
    [InlineData("<< /S /Launch /F (calc.exe) >>", "/N 1 /First 4 /Filter /FlateDecode")]
    public void Pdf_WithScriptInsideACompressedObjectStream_IsRefused(string objectBody, string dictionary)
    {
        var pdf = TestFiles.PdfWithObjectStream(objectBody, dictionary);

        Assert.Equal(UploadProblem.ActiveContent, AttachmentInspector.Inspect(pdf).Problem);
    }

    [Fact]
    public void Pdf_WithAPlainObjectStream_IsAccepted()
    {
        var pdf = TestFiles.PdfWithObjectStream("<< /Type /Page /Contents (see /JS here) /MediaBox [0 0 612 792] >>");

        Assert.Null(AttachmentInspector.Inspect(pdf).Problem);
    }

    [Theory]
    [InlineData("/Type /ObjStm /N 1 /First 4 /Filter /LZWDecode")]
    [InlineData("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /DecodeParms << /Predictor 12 >>")]
    public void Pdf_WithAnObjectStreamThatCannotBeInspected_IsRefusedAsDamaged(string dictionary)
    {
        var pdf = TestFiles.PdfWithObjectStream("<< /Type /Page >>", dictionary);

        Assert.Equal(UploadProblem.Damaged, AttachmentInspector.Inspect(pdf).Problem);
    }

    [Fact]
    public void Pdf_WithAnObjectStreamInflatingBeyondTheCap_IsRefusedAsDamaged()
    {
        var body = "<< /Filler (" + new string('a', (int)PdfScanner.MaxInflatedBytes) + ") >>";

        Assert.Equal(UploadProblem.Damaged, AttachmentInspector.Inspect(TestFiles.PdfWithObjectStream(body)).Problem);
    }

    [Fact]
    public void Pdf_WithAnObjectHiddenInsideStreamData_IsRefused()
    {
        var hidden = "BT (looks like text) Tj ET\nendobj\n7 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n";
        var pdf = TestFiles.PdfWithStream(Encoding.Latin1.GetBytes(hidden), dictionary: "");

        Assert.Equal(UploadProblem.ActiveContent, AttachmentInspector.Inspect(pdf).Problem);
    }

    [Fact]
    public void Pdf_NamesInsideStringsAndComments_AreNotHits()
    {
        var pdf = TestFiles.Pdf("% written by /JavaScript-free tools\n2 0 obj\n<< /Contents (see /JS here \\) and (/Launch) too) /T <2F4A53> >>\nendobj\n");

        Assert.Null(AttachmentInspector.Inspect(pdf).Problem);
    }

    [Fact]
    public void Pdf_AuthorWithEscapedParentheses_IsGoneToItsEnd()
    {
        var pdf = TestPdfs.File(
            "1 0 obj\n<< /Author (Jane \\(Sample\\) Author\\) Smith (Jr) Doe) /Title (Evidence) >>\nendobj\n" + TestPdfs.PageObjects(), "/Info 1 0 R");

        var inspection = AttachmentInspector.Inspect(pdf);

        Assert.Null(inspection.Problem);
        var text = TestPdfs.AllText(inspection.Cleaned);
        foreach (var part in new[] { "Jane", "Sample", "Smith", "Jr", "Doe", "Evidence", "/Author" })
        {
            Assert.DoesNotContain(part, text, StringComparison.Ordinal);
        }

        Assert.EndsWith("%%EOF\n", text[..inspection.Cleaned.Length], StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_CreationAndModificationDates_AreGone_AndAnIndirectAuthorToo()
    {
        var pdf = TestPdfs.File(
            "1 0 obj\n<< /CreationDate (D:20240312091500+05'30') /ModDate<443A3230323430333132> /Author 5 0 R >>\nendobj\n" +
            "5 0 obj\n(Jane Sample Author)\nendobj\n" + TestPdfs.PageObjects(), "/Info 1 0 R");

        var inspection = AttachmentInspector.Inspect(pdf);

        Assert.Null(inspection.Problem);
        var text = TestPdfs.AllText(inspection.Cleaned);
        Assert.DoesNotContain("2024", text, StringComparison.Ordinal);
        Assert.DoesNotContain("05'30", text, StringComparison.Ordinal);
        Assert.DoesNotContain("443A", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_WhoseCompressedDataSpellsOtherFilesSignatures_IsAccepted()
    {
        var jpeg = TestFiles.JpegWithEntropyBytes("<svg"u8.ToArray(), [0x50, 0x4B, 0x03, 0x04], "<HtMl"u8.ToArray(), "%PDF-"u8.ToArray());

        var inspection = AttachmentInspector.Inspect(jpeg);

        Assert.Null(inspection.Problem);
        Assert.Equal((256, 256), (inspection.Width, inspection.Height));
    }

    [Fact]
    public void Png_WhosePixelDataSpellsOtherFilesSignatures_IsAccepted()
    {
        var png = TestFiles.PngWithPixelBytes([0x50, 0x4B, 0x03, 0x04, .. "<svg<script%PDF-"u8]);
        Assert.True(png.AsSpan().IndexOf("<svg"u8) > 0);

        Assert.Null(AttachmentInspector.Inspect(png).Problem);
    }

    [Fact]
    public void Photo_WithHarmlessPaddingOrASecondCameraPicture_AppendedAfterTheEnd_IsAccepted()
    {
        byte[] padded = [.. TestFiles.Jpeg(), .. new byte[200], .. "SEFHcamera trailer"u8];
        byte[] withGainMap = [.. TestFiles.Jpeg(), .. TestFiles.JpegWithEntropyBytes("<svg"u8.ToArray())];

        Assert.Null(AttachmentInspector.Inspect(padded).Problem);
        Assert.Null(AttachmentInspector.Inspect(withGainMap).Problem);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("jpeg-then-jpeg")]
    public void Photo_WithAZipAppendedAfterTheEnd_IsRefusedAsAPolyglot(string kind)
    {
        var picture = kind switch
        {
            "png" => TestFiles.Png(),
            "webp" => TestFiles.WebP(),
            "jpeg-then-jpeg" => [.. TestFiles.Jpeg(), .. TestFiles.Jpeg()],
            _ => TestFiles.Jpeg(),
        };

        Assert.Equal(UploadProblem.Polyglot, AttachmentInspector.Inspect([.. picture, .. TestFiles.Zip()]).Problem);
    }

    [Theory]
    [InlineData("<html><script>alert(1)</script></html>")]
    [InlineData("<?php system($_GET['c']); ?>")]
    [InlineData("MZ\u0090\0\u0003 executable header")]
    public void Photo_WithAPageOrProgramAppended_IsRefusedAsAPolyglot(string appended)
    {
        var jpeg = TestFiles.Jpeg();

        Assert.Equal(UploadProblem.Polyglot, AttachmentInspector.Inspect([.. jpeg, .. Encoding.Latin1.GetBytes(appended)]).Problem);
    }

    /// <summary>Which stored corner (0 top left, 1 top right, 2 bottom left, 3 bottom right) each shown corner shows, by EXIF orientation.</summary>
    private static readonly int[][] ShownCorners =
    [
        [0, 1, 2, 3], // 1: as stored
        [1, 0, 3, 2], // 2: mirrored left to right
        [3, 2, 1, 0], // 3: turned half way
        [2, 3, 0, 1], // 4: mirrored top to bottom
        [0, 2, 1, 3], // 5: mirrored along the top-left diagonal
        [2, 0, 3, 1], // 6: turned a quarter clockwise
        [3, 1, 2, 0], // 7: mirrored along the top-right diagonal
        [1, 3, 0, 2], // 8: turned a quarter anticlockwise
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Photo_WithAnyOfTheEightExifOrientations_IsStoredTheWayItIsShown(int orientation)
    {
        var inspection = AttachmentInspector.Inspect(TestFiles.Quadrants(orientation));

        Assert.Null(inspection.Problem);
        using var shown = SkiaSharp.SKBitmap.Decode(inspection.Cleaned);
        var turned = orientation >= 5;
        Assert.Equal(turned ? (20, 40) : (40, 20), (shown.Width, shown.Height));
        Assert.Equal(turned ? (20, 40) : (40, 20), (inspection.Width!.Value, inspection.Height!.Value));
        (int X, int Y)[] corners = [(2, 2), (shown.Width - 3, 2), (2, shown.Height - 3), (shown.Width - 3, shown.Height - 3)];
        for (var corner = 0; corner < 4; corner++)
        {
            var expected = TestFiles.QuadrantColours[ShownCorners[orientation - 1][corner]];
            var actual = shown.GetPixel(corners[corner].X, corners[corner].Y);
            Assert.True(
                Math.Abs(expected.Red - actual.Red) < 40 && Math.Abs(expected.Green - actual.Green) < 40 && Math.Abs(expected.Blue - actual.Blue) < 40,
                $"orientation {orientation}, corner {corner}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public async Task ImageDecoding_WaitsForAFreeSlotInTheGate()
    {
        var gate = factory.Services.GetRequiredService<DecodeGate>();
        var held = new List<IDisposable>();
        for (var i = 0; i < gate.Slots; i++)
        {
            held.Add(await gate.EnterAsync(CancellationToken.None));
        }

        Task<(HttpResponseMessage Response, Dictionary<string, string> Fields)> sending;
        try
        {
            sending = SendAsync(("map.png", TestFiles.Png(), "image/png"));
            await Task.Delay(300);
            Assert.False(sending.IsCompleted);
        }
        finally
        {
            held.ForEach(slot => slot.Dispose());
        }

        Assert.Equal(HttpStatusCode.Redirect, (await sending.WaitAsync(TimeSpan.FromSeconds(30))).Response.StatusCode);
        Assert.Equal(gate.Slots, gate.Available);
    }

    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "A fixed seed makes any failure reproducible; nothing here is secret.")]
    public void FilesCutShortOrScrambled_AreJudged_NeverThrow()
    {
        var random = new Random(3);
        const string pdfBytes = "()<>[]/%\\#0123 \nsRobjendstream";
        byte[][] pdfs =
        [
            TestFiles.PdfWithObjectStream("<< /Type /Page /Contents (see /JS here) >>"),
            TestFiles.Pdf("2 0 obj\n<< /A (x\\) (y)) /B <41> /Author 5 0 R /Length 3 >>\nstream\nabc\nendstream\nendobj\n5 0 obj\n(n)\nendobj\n"),
        ];
        foreach (var pdf in pdfs)
        {
            for (var cut = 0; cut <= pdf.Length; cut++)
            {
                PdfScanner.Scan(pdf[..cut]);
            }

            for (var i = 0; i < 5000; i++)
            {
                var scrambled = (byte[])pdf.Clone();
                for (var k = 0; k < 3; k++)
                {
                    scrambled[random.Next(scrambled.Length)] = (byte)pdfBytes[random.Next(pdfBytes.Length)];
                }

                PdfScanner.Scan(scrambled);
            }
        }

        foreach (var (image, type) in new[] { (TestFiles.Jpeg(), "image/jpeg"), (TestFiles.Png(), "image/png"), (TestFiles.WebP(), "image/webp") })
        {
            for (var cut = 0; cut <= image.Length; cut++)
            {
                ImageStructure.HasForeignTrailer(image[..cut], type);
            }

            for (var i = 0; i < 2000; i++)
            {
                var scrambled = (byte[])image.Clone();
                for (var k = 0; k < 4; k++)
                {
                    scrambled[random.Next(scrambled.Length)] = (byte)random.Next(256);
                }

                ImageStructure.HasForeignTrailer(scrambled, type);
            }
        }
    }
}
