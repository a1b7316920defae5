using System.Security.Cryptography;
using System.Text;

namespace InfraTerra.Web.Infrastructure.Crypto;

/// <summary>
/// A keyed fingerprint (HMAC-SHA-256) of a file exactly as the tipster sent it. Officers holding
/// the key can show that a file is the one received; a copy of the database, or a device holding
/// the original, cannot by itself be matched to a tip. The key is derived from
/// <c>Tips:LookupKey</c>, which is never rotated, so fingerprints stay checkable for a tip's life.
/// </summary>
public sealed class OriginalFileHash(TipKeys keys)
{
    private readonly byte[] _key = HKDF.DeriveKey(
        HashAlgorithmName.SHA256, keys.LookupKey, TipKeys.KeyBytes, info: Encoding.ASCII.GetBytes("original-file-fingerprint"));

    public byte[] Of(ReadOnlySpan<byte> original) => HMACSHA256.HashData(_key, original);
}
