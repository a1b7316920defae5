using Microsoft.Extensions.Caching.Memory;

namespace InfraTerra.Web.Catalogue;

/// <summary>Photo bytes served lately, at most <c>Catalogue:PhotoCacheMegabytes</c> (default 64) of them, the least used dropped first.</summary>
public sealed class PhotoBytes(IConfiguration configuration) : IDisposable
{
    public const int DefaultMegabytes = 64;

    public MemoryCache Cache { get; } = new(new MemoryCacheOptions
    {
        SizeLimit = Math.Clamp(configuration.GetValue("Catalogue:PhotoCacheMegabytes", DefaultMegabytes), 0, 4096) * 1024L * 1024L,
    });

    public void Dispose() => Cache.Dispose();
}
