using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Infrastructure.Crypto;

/// <summary>
/// Envelope encryption for tips: each tip gets a random AES-256-GCM data key, which is itself
/// wrapped by the master key. The tip id is bound in as associated data, so a sealed blob
/// cannot be moved to another tip.
/// </summary>
public sealed class TipSealer(TipKeys keys)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public string MasterKeyId => keys.MasterKeyId;

    public SealedTip Seal(Guid tipId, TipContent content)
    {
        var dataKey = RandomNumberGenerator.GetBytes(TipKeys.KeyBytes);
        try
        {
            var plaintext = JsonSerializer.SerializeToUtf8Bytes(content);
            return new SealedTip(
                Encrypt(dataKey, plaintext, tipId.ToByteArray()),
                Encrypt(keys.MasterKey, dataKey, Encoding.UTF8.GetBytes(keys.MasterKeyId)),
                keys.MasterKeyId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public TipContent Open(Tip tip) => WithDataKey(tip, dataKey =>
        JsonSerializer.Deserialize<TipContent>(Decrypt(dataKey, tip.SealedContent, tip.Id.ToByteArray()))
            ?? throw new CryptographicException("Sealed tip content is empty."));

    /// <summary>Messages in a tip's conversation are sealed under that tip's data key, bound to the message id.</summary>
    public byte[] SealMessage(Tip tip, Guid messageId, string body) => WithDataKey(tip, dataKey =>
        Encrypt(dataKey, Encoding.UTF8.GetBytes(body), messageId.ToByteArray()));

    public string OpenMessage(Tip tip, TipMessage message) => WithDataKey(tip, dataKey =>
        Encoding.UTF8.GetString(Decrypt(dataKey, message.SealedBody, message.Id.ToByteArray())));

    /// <summary>Any other bytes of the tip (attachments, their hashes), bound to their own id and purpose.</summary>
    public byte[] SealBytes(Tip tip, Guid id, string purpose, byte[] bytes) => WithDataKey(tip, dataKey =>
        Encrypt(dataKey, bytes, [.. id.ToByteArray(), .. Encoding.UTF8.GetBytes(purpose)]));

    public byte[] OpenBytes(Tip tip, Guid id, string purpose, byte[] sealedBytes) => WithDataKey(tip, dataKey =>
        Decrypt(dataKey, sealedBytes, [.. id.ToByteArray(), .. Encoding.UTF8.GetBytes(purpose)]));

    /// <summary>Wraps the tip's data key under the current master key; the sealed texts stay as they are.</summary>
    public void Rewrap(Tip tip)
    {
        if (tip.MasterKeyId == keys.MasterKeyId)
        {
            return;
        }

        tip.WrappedDataKey = WithDataKey(tip, dataKey => Encrypt(keys.MasterKey, dataKey, Encoding.UTF8.GetBytes(keys.MasterKeyId)));
        tip.MasterKeyId = keys.MasterKeyId;
    }

    private T WithDataKey<T>(Tip tip, Func<byte[], T> use)
    {
        var dataKey = Decrypt(keys.MasterKeyFor(tip.MasterKeyId), tip.WrappedDataKey, Encoding.UTF8.GetBytes(tip.MasterKeyId));
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
