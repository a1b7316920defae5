using System.Text;
using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Uploads;
using UglyToad.PdfPig;
using static InfraTerra.Tests.Support.TestFiles;

namespace InfraTerra.Tests.Infrastructure.Uploads;

/// <summary>Every accepted PDF is stored as a fresh file holding only its pages (ADR 0006).</summary>
public sealed class PdfRebuildTests
{
    private const string Marker = "TIPSTER-HOME-12-RUE-DES-LILAS";

    private static byte[] Stored(byte[] pdf)
    {
        var inspection = AttachmentInspector.Inspect(pdf);
        Assert.Null(inspection.Problem);
        Assert.Equal("application/pdf", inspection.ContentType);
        return inspection.Cleaned;
    }

    private static string Info(string author = Marker) =>
        $"1 0 obj\n<< /Author ({author}) /Producer (SampleWriter 9) /CreationDate (D:20240312091500+05'30') >>\nendobj\n";

    private static string CompressedXmp(int number, string creator) => TestPdfs.StreamObject(
        number,
        "/Type /Metadata /Subtype /XML /Filter /FlateDecode",
        TestPdfs.Deflate(Encoding.UTF8.GetBytes(
            "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
            $"<rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>{creator}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>")));

    [Theory]
    [InlineData("filter-by-name")]
    [InlineData("filter-by-reference")]
    public void Pdf_WithAPhotoCarryingExifGps_IsStoredWithoutTheMarker_AndItsPictureHasNoExif(string kind)
    {
        var photo = JpegWithExif(GpsTiff(Zurich));
        Assert.NotNull(ExifGps.Read(photo));
        var objects = Info() + TestPdfs.PageObjects(jpeg: photo);
        if (kind == "filter-by-reference")
        {
            objects = objects.Replace("/Filter /DCTDecode", "/Filter 12 0 R", StringComparison.Ordinal) + "12 0 obj\n/DCTDecode\nendobj\n";
        }

        var pdf = TestPdfs.File(objects, "/Info 1 0 R");
        Assert.Contains(ExifMarker, Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);

        var stored = Stored(pdf);

        Assert.DoesNotContain(ExifMarker, TestPdfs.AllText(stored), StringComparison.Ordinal);
        using var document = PdfDocument.Open(stored);
        var picture = Assert.Single(document.GetPage(1).GetImages());
        var jpeg = picture.RawMemory.ToArray();
        Assert.Equal([0xFF, 0xD8, 0xFF], jpeg[..3]);
        Assert.Null(ExifGps.Read(jpeg));
        Assert.DoesNotContain("Exif", Encoding.Latin1.GetString(jpeg), StringComparison.Ordinal);
        Assert.Equal((320, 240), (picture.WidthInSamples, picture.HeightInSamples));
    }

    [Fact]
    public void Pdf_WithAnEarlierRevisionHoldingAMarker_IsStoredWithoutIt()
    {
        // The tipster removed a line naming themselves and saved: editors append the change and keep the old page.
        var first = Info(author: "Someone") + TestPdfs.PageObjects(text: "Sent by " + Marker);
        var update = TestPdfs.StreamObject(93, "", Encoding.Latin1.GetBytes($"BT /F1 18 Tf 72 700 Td ({TestPdfs.PageText}) Tj ET"));
        var pdf = TestPdfs.File(first, "/Info 1 0 R", (update, "/Info 1 0 R"));
        using (var original = PdfDocument.Open(pdf))
        {
            Assert.Equal(TestPdfs.PageText, original.GetPage(1).Text);
        }

        var stored = Stored(pdf);

        Assert.DoesNotContain(Marker, TestPdfs.AllText(stored), StringComparison.Ordinal);
        Assert.Single(Regex.Matches(Encoding.Latin1.GetString(stored), "startxref"));
        using var document = PdfDocument.Open(stored);
        Assert.Equal(TestPdfs.PageText, document.GetPage(1).Text);
    }

    [Fact]
    public void Pdf_WithXmpInCompressedStreams_OnTheDocumentAndOnAPicture_IsStoredWithoutIt()
    {
        var page = TestPdfs.PageObjects(jpeg: Jpeg(), catalogExtra: " /Metadata 10 0 R")
            .Replace("/Filter /DCTDecode", "/Filter /DCTDecode /Metadata 11 0 R", StringComparison.Ordinal);
        var pdf = TestPdfs.File(Info(author: "Someone") + CompressedXmp(10, Marker) + CompressedXmp(11, Marker + "-PHOTO") + page, "/Info 1 0 R");
        Assert.Contains(Marker, TestPdfs.AllText(pdf), StringComparison.Ordinal);

        var stored = Stored(pdf);

        var text = TestPdfs.AllText(stored);
        Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("xmpmeta", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/Metadata", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_WithItsInformationInsideAnObjectStream_IsStoredWithoutIt()
    {
        var pdf = TestPdfs.FileWithObjectStream(
            TestPdfs.PageObjects(),
            [(1, $"<< /Author ({Marker}) /Creator (Scanner serial SN-77781) /CreationDate (D:20240312091500+05'30') >>")],
            "/Info 1 0 R");
        using (var original = PdfDocument.Open(pdf))
        {
            Assert.Equal(Marker, original.Information.Author);
        }

        var stored = Stored(pdf);

        var text = TestPdfs.AllText(stored);
        Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("SN-77781", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2024", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RebuiltPdf_StillOpens_WithTheSamePagesAndText_AndNoDocumentInformation()
    {
        string[] texts = ["First page of the ledger", "Second page: 40 tusks", "Third page, signed"];
        var kids = string.Join(' ', texts.Select((_, i) => $"{10 + i} 0 R"));
        var body = Info() +
            $"{TestPdfs.Catalog} 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
            $"2 0 obj\n<< /Type /Pages /Kids [{kids}] /Count {texts.Length} /MediaBox [0 0 595 842] >>\nendobj\n" +
            "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n" +
            string.Concat(texts.Select((text, i) =>
                $"{10 + i} 0 obj\n<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents {20 + i} 0 R >>\nendobj\n" +
                TestPdfs.StreamObject(20 + i, "/Filter /FlateDecode", TestPdfs.Deflate(Encoding.Latin1.GetBytes($"BT /F1 14 Tf 72 760 Td ({text}) Tj ET")))));
        var pdf = TestPdfs.File(body, "/Info 1 0 R", (Info(author: "Someone else"), "/Info 1 0 R"));

        var stored = Stored(pdf);

        using (var document = PdfDocument.Open(stored))
        {
            Assert.Equal(texts, document.GetPages().Select(p => p.Text));
            Assert.Null(document.Information.Author);
            Assert.Null(document.Information.Producer);
            Assert.Null(document.Information.CreationDate);
        }

        var trailer = Encoding.Latin1.GetString(stored)[Encoding.Latin1.GetString(stored).LastIndexOf("trailer", StringComparison.Ordinal)..];
        Assert.DoesNotContain("/Info", trailer, StringComparison.Ordinal);
        using var again = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(stored), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Import);
        Assert.Equal(texts.Length, again.PageCount);
    }

    [Theory]
    [InlineData("jpeg2000")]
    [InlineData("inline-jpeg")]
    public void Pdf_WithPicturesThatCannotBeCleaned_IsRefusedWithItsOwnReason(string kind)
    {
        var page = kind == "jpeg2000"
            ? TestPdfs.PageObjects(jpeg: Jpeg()).Replace("/Filter /DCTDecode", "/Filter /JPXDecode", StringComparison.Ordinal)
            : TestPdfs.PageObjects(contentExtra: " q 20 0 0 20 72 300 cm BI /W 2 /H 2 /CS /RGB /BPC 8 /F /DCT ID \u00FF\u00D8\u00FF\u00E1 EI Q");

        Assert.Equal(UploadProblem.UncleanablePdfImage, AttachmentInspector.Inspect(TestPdfs.File(page)).Problem);
    }

    [Theory]
    [InlineData("page-tree-cycle")]
    [InlineData("deep-nesting")]
    public void Pdf_ThatWouldSendAParserRoundInCircles_IsRefusedAsDamaged_AndTheAppLivesOn(string kind)
    {
        // Both made PDFsharp recurse until the stack overflowed, which ends the whole process.
        var page = kind == "page-tree-cycle"
            ? TestPdfs.PageObjects().Replace("/Kids [92 0 R]", "/Kids [92 0 R 91 0 R]", StringComparison.Ordinal)
            : TestPdfs.PageObjects().Replace("/MediaBox [0 0 612 792]", "/MediaBox [0 0 612 792] /Deep " + new string('[', 200_000) + new string(']', 200_000), StringComparison.Ordinal);

        Assert.Equal(UploadProblem.Damaged, AttachmentInspector.Inspect(TestPdfs.File(page)).Problem);
    }

    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "A fixed seed makes any failure reproducible; nothing here is secret.")]
    public void ScrambledPdfs_AreRebuiltOrRefused_NeverThrow()
    {
        var random = new Random(6);
        const string pdfBytes = "()<>[]/%\\#0123 \nsRobjendstreamxref";
        byte[][] pdfs =
        [
            TestPdfs.File(Info() + TestPdfs.PageObjects(jpeg: JpegWithExif(GpsTiff(Zurich))), "/Info 1 0 R"),
            TestPdfs.FileWithObjectStream(TestPdfs.PageObjects(), [(1, $"<< /Author ({Marker}) >>")], "/Info 1 0 R"),
        ];
        foreach (var pdf in pdfs)
        {
            for (var i = 0; i < 400; i++)
            {
                var scrambled = (byte[])pdf.Clone();
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    scrambled[random.Next(scrambled.Length)] = (byte)pdfBytes[random.Next(pdfBytes.Length)];
                }

                var inspection = AttachmentInspector.Inspect(scrambled);

                if (inspection.Problem is null)
                {
                    Assert.StartsWith("%PDF-", Encoding.Latin1.GetString(inspection.Cleaned[..5]), StringComparison.Ordinal);
                    Assert.DoesNotContain(Marker, TestPdfs.AllText(inspection.Cleaned), StringComparison.Ordinal);
                }
            }
        }
    }
}
