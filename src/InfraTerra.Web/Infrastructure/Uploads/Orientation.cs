using SkiaSharp;

namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>Re-encoding drops the EXIF orientation, so it is applied to the pixels instead.</summary>
public static class Orientation
{
    /// <summary>
    /// A new bitmap showing <paramref name="stored"/> the way the camera meant, or null when it is
    /// already upright (no second full-size copy then).
    /// </summary>
    public static SKBitmap? Upright(SKBitmap stored, SKEncodedOrigin origin)
    {
        float w = stored.Width, h = stored.Height;

        // Where a stored pixel (x, y) is shown: x' = ScaleX·x + SkewX·y + TransX, y' = SkewY·x + ScaleY·y + TransY.
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => null,
        };
        if (matrix is not { } transform)
        {
            return null;
        }

        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var shown = new SKBitmap(swap ? stored.Height : stored.Width, swap ? stored.Width : stored.Height, stored.ColorType, stored.AlphaType);
        using var canvas = new SKCanvas(shown);
        canvas.SetMatrix(transform);

        // Immutable, the image shares the bitmap's pixels instead of copying them; nearest
        // sampling moves whole pixels, as a flip or quarter turn should.
        stored.SetImmutable();
        using var source = SKImage.FromBitmap(stored);
        canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        return shown;
    }
}
