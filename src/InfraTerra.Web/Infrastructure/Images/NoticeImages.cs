using SkiaSharp;

namespace InfraTerra.Web.Infrastructure.Images;

/// <summary>Thumbnails for notice photos, and generated stand-in portraits for sample notices.</summary>
public static class NoticeImages
{
    public const int ThumbnailWidth = 150;

    /// <summary>
    /// The widths a card's picture is served at: the card shows it 180 pixels wide (<c>1x</c>) and
    /// screens with twice the pixel density get 360 (<c>2x</c>). Nothing else is made on request.
    /// </summary>
    public static readonly IReadOnlyList<int> CardWidths = [CardWidth, CardWidth * 2];

    public const int CardWidth = 180;
    public const int CardHeight = 240;
    private const int JpegQuality = 82;

    private static readonly SKColor[] Backgrounds =
    [
        new(0x3b, 0x5b, 0x7a), new(0x5a, 0x4a, 0x78), new(0x2f, 0x6b, 0x5b),
        new(0x7a, 0x4b, 0x3b), new(0x4f, 0x5d, 0x2f), new(0x6b, 0x3b, 0x5a),
    ];

    public sealed record Picture(byte[] Bytes, string ContentType, int Width, int Height);

    /// <summary>A silhouette on a coloured ground with diagonal "sample" stripes: clearly not a real person.</summary>
    public static Picture PlaceholderPortrait(int seed)
    {
        // Drawn on a 300 x 400 grid, scaled so that it is as large as a card's 2x picture.
        const float scale = 1.2f;
        const int width = 360;
        const int height = 480;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Scale(scale);
        canvas.Clear(Backgrounds[Math.Abs(seed) % Backgrounds.Length]);
        using var stripes = new SKPaint { Color = new SKColor(255, 255, 255, 28), StrokeWidth = 18, IsAntialias = true };
        for (var x = -400; x < 300; x += 48)
        {
            canvas.DrawLine(x, 400, x + 400, 0, stripes);
        }

        using var figure = new SKPaint { Color = new SKColor(0xd9, 0xdd, 0xe3), IsAntialias = true };
        canvas.DrawCircle(150, 140, 70, figure);
        canvas.DrawOval(new SKRect(40, 235, 260, 565), figure);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return new Picture(png.ToArray(), "image/png", width, height);
    }

    public static Picture Thumbnail(byte[] original)
    {
        using var bitmap = SKBitmap.Decode(original)
            ?? throw new ArgumentException("The photo is not an image this server can read.", nameof(original));
        var height = Math.Max(1, (int)Math.Round(bitmap.Height * (double)ThumbnailWidth / bitmap.Width));
        using var resized = bitmap.Resize(new SKImageInfo(ThumbnailWidth, height), new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidOperationException("The photo could not be resized.");
        using var image = SKImage.FromBitmap(resized);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return new Picture(jpeg.ToArray(), "image/jpeg", ThumbnailWidth, height);
    }

    /// <summary>
    /// The photo cut to the card's 3:4 shape (centred) and scaled to <paramref name="width"/>, so the
    /// picture fills the card exactly whatever the photo's own proportions.
    /// </summary>
    public static Picture CardPicture(byte[] original, int width)
    {
        if (!CardWidths.Contains(width))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "Not one of the card widths.");
        }

        var height = width * CardHeight / CardWidth;
        using var bitmap = SKBitmap.Decode(original)
            ?? throw new ArgumentException("The photo is not an image this server can read.", nameof(original));
        var scale = Math.Max((float)width / bitmap.Width, (float)height / bitmap.Height);
        var cropWidth = width / scale;
        var cropHeight = height / scale;
        var source = SKRect.Create((bitmap.Width - cropWidth) / 2, (bitmap.Height - cropHeight) / 2, cropWidth, cropHeight);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        using (var image = SKImage.FromBitmap(bitmap))
        {
            surface.Canvas.DrawImage(image, source, SKRect.Create(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell), null);
        }

        using var snapshot = surface.Snapshot();
        using var jpeg = snapshot.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return new Picture(jpeg.ToArray(), "image/jpeg", width, height);
    }
}
