using System.Buffers.Binary;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Uploads;
using static InfraTerra.Tests.Support.TestFiles;

namespace InfraTerra.Tests.Infrastructure.Uploads;

public sealed class ExifGpsTests
{
    private const double Tolerance = 1e-9;

    private static void AssertZurich(PhotoLocation? location)
    {
        Assert.NotNull(location);
        Assert.Equal(47 + (22 / 60.0) + (36.84 / 3600), location.Latitude, Tolerance);
        Assert.Equal(8 + (32 / 60.0) + (30.12 / 3600), location.Longitude, Tolerance);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    public void Read_FindsThePosition_InEachContainer(string container)
    {
        var tiff = GpsTiff(Zurich);
        var file = container switch
        {
            "jpeg" => JpegWithExif(tiff),
            "png" => PngWithExif(tiff),
            _ => WebPWithExif(tiff),
        };

        AssertZurich(ExifGps.Read(file));
    }

    [Fact]
    public void Read_UnderstandsLittleEndianTiff()
    {
        AssertZurich(ExifGps.Read(JpegWithExif(GpsTiff(Zurich, bigEndian: false))));
    }

    [Fact]
    public void Read_SouthAndWest_AreNegative()
    {
        var gps = new Gps('S', [(33, 1), (51, 1), (3500, 100)], 'W', [(70, 1), (40, 1), (0, 1)]);

        var location = ExifGps.Read(JpegWithExif(GpsTiff(gps)));

        Assert.NotNull(location);
        Assert.Equal(-(33 + (51 / 60.0) + (35.0 / 3600)), location.Latitude, Tolerance);
        Assert.Equal(-(70 + (40 / 60.0)), location.Longitude, Tolerance);
    }

    [Fact]
    public void Read_PhotoWithoutExif_HasNoPosition()
    {
        Assert.Null(ExifGps.Read(Jpeg()));
        Assert.Null(ExifGps.Read(Png()));
        Assert.Null(ExifGps.Read(Pdf()));
    }

    [Fact]
    public void Read_ExifWithoutGps_HasNoPosition()
    {
        // The older helper writes an IFD0 with no entries at all.
        Assert.Null(ExifGps.Read(JpegWithExif()));
    }

    [Fact]
    public void Read_EveryTruncation_NeverThrows_AndFindsNothingUntilTheRationalsAreWhole()
    {
        var tiff = GpsTiff(Zurich);
        for (var length = 0; length < tiff.Length; length++)
        {
            var location = ExifGps.ReadTiff(tiff[..length]);
            if (length < GpsLayout.End)
            {
                Assert.Null(location);
            }
        }

        var jpeg = JpegWithExif(tiff);
        for (var length = 0; length < 400; length++)
        {
            _ = ExifGps.Read(jpeg[..length]);
        }
    }

    [Theory]
    [InlineData("gps-pointer-to-ifd0")]
    [InlineData("gps-pointer-to-header")]
    [InlineData("gps-pointer-into-an-entry")]
    public void Read_CyclicOffsets_FindNothingAndEnd(string kind)
    {
        var tiff = GpsTiff(Zurich);
        var target = kind switch
        {
            "gps-pointer-to-ifd0" => GpsLayout.Ifd0,
            "gps-pointer-to-header" => 0,
            _ => GpsLayout.Ifd0 + 2,
        };
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(GpsLayout.GpsPointerValue), (uint)target);

        Assert.Null(ExifGps.ReadTiff(tiff));
    }

    [Fact]
    public void Read_NextIfdPointingBackToItself_IsNotFollowed()
    {
        var tiff = GpsTiff(Zurich);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(GpsLayout.Ifd0 + 2 + 12), GpsLayout.Ifd0);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(GpsLayout.Latitude - 4), GpsLayout.GpsIfd);

        AssertZurich(ExifGps.ReadTiff(tiff));
    }

    [Theory]
    [InlineData("ifd0-count")]
    [InlineData("gps-ifd-count")]
    [InlineData("rational-count")]
    [InlineData("rational-offset")]
    [InlineData("gps-pointer")]
    public void Read_HugeCountsAndOffsets_FindNothing(string kind)
    {
        var tiff = GpsTiff(Zurich);
        switch (kind)
        {
            case "ifd0-count":
                BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(GpsLayout.Ifd0), ushort.MaxValue);
                break;
            case "gps-ifd-count":
                BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(GpsLayout.GpsIfd), ushort.MaxValue);
                break;
            case "rational-count":
                BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(GpsLayout.LatitudeCount), uint.MaxValue);
                break;
            case "rational-offset":
                BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(GpsLayout.LatitudeOffset), uint.MaxValue - 4);
                break;
            default:
                BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(GpsLayout.GpsPointerValue), uint.MaxValue);
                break;
        }

        Assert.Null(ExifGps.ReadTiff(tiff));
    }

    [Theory]
    [InlineData("jpeg-segment")]
    [InlineData("png-chunk")]
    [InlineData("webp-chunk")]
    [InlineData("webp-riff")]
    public void Read_ContainerLengthsBeyondTheFile_FindNothing(string kind)
    {
        var tiff = GpsTiff(Zurich);
        var file = kind switch
        {
            "jpeg-segment" => JpegWithExif(tiff),
            "png-chunk" => PngWithExif(tiff),
            _ => WebPWithExif(tiff),
        };
        switch (kind)
        {
            case "jpeg-segment":
                BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(4), ushort.MaxValue);
                file = file[..1000];
                break;
            case "png-chunk":
                BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(33), uint.MaxValue);
                break;
            case "webp-chunk":
                BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - tiff.Length - 1 - 4), uint.MaxValue);
                break;
            default:
                BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), uint.MaxValue);
                file = file[..(file.Length - 20)];
                break;
        }

        Assert.Null(ExifGps.Read(file));
    }

    [Theory]
    [InlineData("zero-denominator")]
    [InlineData("latitude-91")]
    [InlineData("longitude-181")]
    [InlineData("no-hemisphere")]
    [InlineData("null-island")]
    public void Read_ImpossibleValues_FindNothing(string kind)
    {
        var gps = kind switch
        {
            "zero-denominator" => Zurich with { Latitude = [(47, 1), (22, 0), (3684, 100)] },
            "latitude-91" => Zurich with { Latitude = [(91, 1), (0, 1), (0, 1)] },
            "longitude-181" => Zurich with { Longitude = [(180, 1), (60, 1), (0, 1)] },
            "no-hemisphere" => Zurich with { LatitudeRef = 'X' },
            _ => new Gps('N', [(0, 1), (0, 1), (0, 1)], 'E', [(0, 1), (0, 1), (0, 1)]),
        };

        Assert.Null(ExifGps.Read(JpegWithExif(GpsTiff(gps))));
    }

    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "A fixed seed makes any failure reproducible; nothing here is secret.")]
    public void Read_RandomlyDamagedFiles_NeverThrow_AndGiveOnlyPlausiblePositions()
    {
        var random = new Random(20261129);
        byte[][] originals = [JpegWithExif(GpsTiff(Zurich)), PngWithExif(GpsTiff(Zurich, bigEndian: false)), WebPWithExif(GpsTiff(Zurich))];
        for (var round = 0; round < 3000; round++)
        {
            var file = (byte[])originals[round % originals.Length].Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                // Damage falls mostly in the first few hundred bytes, where the metadata is.
                file[random.Next(Math.Min(file.Length, 400))] = (byte)random.Next(256);
            }

            var location = ExifGps.Read(file);

            if (location is not null)
            {
                Assert.InRange(location.Latitude, -90, 90);
                Assert.InRange(location.Longitude, -180, 180);
            }
        }
    }
}
