using System.Security.Cryptography;
using System.Text.Json;
using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Infrastructure.Crypto;

/// <summary>
/// Envelope encryption for tips: each tip gets a random AES-256-GCM data key, which is itself
/// wrapped by the master key, bound to the tip id. Every value sealed under the data key carries a
/// <see cref="SealBinding"/> (tip, purpose, row, author, position) as associated data, so a sealed
/// blob cannot be moved to another tip or relabelled. Only <c>Features/Tips/TipStore</c> decides
/// what is sealed with which binding.
/// </summary>
public sealed class TipSealer(TipKeys keys)
{
    public const string ContentPurpose = "content";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public string MasterKeyId => keys.MasterKeyId;

    /// <summary>Makes the tip's data key and seals what the tipster wrote under it.</summary>
    public SealedTip Seal(Guid tipId, TipContent content)
    {
        var dataKey = RandomNumberGenerator.GetBytes(TipKeys.KeyBytes);
        try
        {
            var plaintext = JsonSerializer.SerializeToUtf8Bytes(content);
            return new SealedTip(
                Encrypt(dataKey, plaintext, new SealBinding(tipId, ContentPurpose).ToAssociatedData()),
                Encrypt(keys.MasterKey, dataKey, WrapBinding(tipId, keys.MasterKeyId)),
                keys.MasterKeyId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public TipContent Open(Tip tip) => WithDataKey(tip, dataKey =>
        JsonSerializer.Deserialize<TipContent>(Decrypt(dataKey, tip.SealedContent, new SealBinding(tip.Id, ContentPurpose).ToAssociatedData()))
            ?? throw new CryptographicException("Sealed tip content is empty."));

    /// <summary>Any other value of the tip (a message, a file, its fingerprint), bound to what it belongs to.</summary>
    public byte[] Seal(Tip tip, SealBinding binding, byte[] plaintext) => WithDataKey(tip, dataKey =>
        Encrypt(dataKey, plaintext, BindingOf(tip, binding)));

    public byte[] Open(Tip tip, SealBinding binding, byte[] sealedBytes) => WithDataKey(tip, dataKey =>
        Decrypt(dataKey, sealedBytes, BindingOf(tip, binding)));

    /// <summary>Wraps the tip's data key under the current master key; the sealed values stay as they are.</summary>
    public void Rewrap(Tip tip)
    {
        if (tip.MasterKeyId == keys.MasterKeyId)
        {
            return;
        }

        tip.WrappedDataKey = WithDataKey(tip, dataKey => Encrypt(keys.MasterKey, dataKey, WrapBinding(tip.Id, keys.MasterKeyId)));
        tip.MasterKeyId = keys.MasterKeyId;
    }

    private static byte[] BindingOf(Tip tip, SealBinding binding) =>
        binding.TipId == tip.Id
            ? binding.ToAssociatedData()
            : throw new CryptographicException("A value of one tip cannot be sealed or opened under another tip's key.");

    private static byte[] WrapBinding(Guid tipId, string masterKeyId) =>
        new SealBinding(tipId, "data-key:" + masterKeyId).ToAssociatedData();

    private T WithDataKey<T>(Tip tip, Func<byte[], T> use)
    {
        var dataKey = Decrypt(keys.MasterKeyFor(tip.MasterKeyId), tip.WrappedDataKey, WrapBinding(tip.Id, tip.MasterKeyId));
        try
        {
            return use(dataKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public static byte[] Encrypt(byte[] key, byte[] plaintext, byte[] associatedData)
    {
        var output = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes, plaintext.Length), output.AsSpan(NonceBytes + plaintext.Length), associatedData);
        return output;
    }

    public static byte[] Decrypt(byte[] key, byte[] sealedBytes, byte[] associatedData)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("Sealed data is too short.");
        }

        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(
            sealedBytes.AsSpan(0, NonceBytes),
            sealedBytes.AsSpan(NonceBytes, length),
            sealedBytes.AsSpan(NonceBytes + length),
            plaintext,
            associatedData);
        return plaintext;
    }
}

public sealed record SealedTip(byte[] Content, byte[] WrappedDataKey, string MasterKeyId);
