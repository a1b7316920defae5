using InfraTerra.Web.Features.Tips;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Support;

/// <summary>The app's own tip store, in a scope of its own, for tests that write or read tips directly.</summary>
public static class Stores
{
    public static T WithStore<T>(this AppFactory factory, Func<TipStore, T> use)
    {
        using var scope = factory.Services.CreateScope();
        return use(scope.ServiceProvider.GetRequiredService<TipStore>());
    }

    public static async Task<T> WithStoreAsync<T>(this AppFactory factory, Func<TipStore, Task<T>> use)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TipStore>());
    }
}

/// <summary>
/// The keyed fingerprint of an original file, restated from its definition (HMAC-SHA-256 under a
/// key derived from <c>Tips:LookupKey</c>) rather than taken from the app, so a change there fails.
/// </summary>
public static class Fingerprints
{
    public static byte[] Of(AppFactory factory, byte[] original)
    {
        var lookupKey = factory.Services.GetRequiredService<InfraTerra.Web.Infrastructure.Crypto.TipKeys>().LookupKey;
        var key = System.Security.Cryptography.HKDF.DeriveKey(
            System.Security.Cryptography.HashAlgorithmName.SHA256, lookupKey, 32, info: "original-file-fingerprint"u8.ToArray());
        return System.Security.Cryptography.HMACSHA256.HashData(key, original);
    }
}
