using System.Security.Cryptography;
using System.Text;

namespace InfraTerra.Web.Infrastructure.Crypto;

/// <summary>
/// The idempotency key a tip form carries in a hidden field. The database stores only its hash,
/// plus the receipt encrypted under a key derived from it, so a repeat of the same form can be
/// shown its receipt again while nobody holding only the database can read receipts.
/// </summary>
public static class FormKeys
{
    public const int MaxLength = 64;

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))
        .Replace('+', '-').Replace('/', '_');

    public static bool IsWellFormed(string? key) =>
        key is { Length: 32 } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.ASCII.GetBytes("idempotency:" + key));

    public const string ReplayPurpose = "replay-receipt";

    public static byte[] SealReceipt(string key, Guid tipId, string receipt) =>
        TipSealer.Encrypt(ReceiptKey(key), Encoding.ASCII.GetBytes(receipt), new SealBinding(tipId, ReplayPurpose).ToAssociatedData());

    public static string OpenReceipt(string key, Guid tipId, byte[] sealedReceipt) =>
        Encoding.ASCII.GetString(TipSealer.Decrypt(ReceiptKey(key), sealedReceipt, new SealBinding(tipId, ReplayPurpose).ToAssociatedData()));

    private static byte[] ReceiptKey(string key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.ASCII.GetBytes(key), 32, info: Encoding.ASCII.GetBytes("receipt-replay"));
}
