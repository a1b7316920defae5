using System.Security.Cryptography;
using System.Text.Json;

namespace InfraTerra.Web.Infrastructure.Crypto;

/// <summary>
/// The secrets that protect tips: the master key (wraps each tip's data key) and the lookup
/// key (keys the receipt hash). They come from configuration, and the app refuses to start
/// without them unless <c>Dev:GenerateTipKeys</c> lets it generate them once into the data folder.
/// </summary>
public sealed class TipKeys
{
    public const int KeyBytes = 32;

    public TipKeys(string masterKeyId, byte[] masterKey, byte[] lookupKey, IReadOnlyDictionary<string, byte[]>? previousMasterKeys = null)
    {
        if (masterKey.Length != KeyBytes || lookupKey.Length != KeyBytes)
        {
            throw new InvalidOperationException("Tip keys must be 32 bytes (256 bits), base64-encoded.");
        }

        MasterKeyId = masterKeyId;
        MasterKey = masterKey;
        LookupKey = lookupKey;
        PreviousMasterKeys = previousMasterKeys ?? new Dictionary<string, byte[]>();
        if (PreviousMasterKeys.Values.Any(k => k.Length != KeyBytes))
        {
            throw new InvalidOperationException("Tips:PreviousMasterKeys must hold 32-byte keys, base64-encoded.");
        }
    }

    public string MasterKeyId { get; }
    public byte[] MasterKey { get; }
    public byte[] LookupKey { get; }

    /// <summary>Retired master keys, kept only until <c>rotate-key</c> has re-wrapped every tip.</summary>
    public IReadOnlyDictionary<string, byte[]> PreviousMasterKeys { get; }

    public bool Knows(string keyId) => keyId == MasterKeyId || PreviousMasterKeys.ContainsKey(keyId);

    public byte[] MasterKeyFor(string keyId) =>
        keyId == MasterKeyId ? MasterKey
        : PreviousMasterKeys.TryGetValue(keyId, out var previous) ? previous
        : throw new CryptographicException($"The master key '{keyId}' is not configured (Tips:MasterKey or Tips:PreviousMasterKeys).");

    public static TipKeys Load(IConfiguration configuration, DevRelaxations relaxations, DataFolder dataFolder)
    {
        var id = configuration["Tips:MasterKeyId"];
        var master = configuration["Tips:MasterKey"];
        var lookup = configuration["Tips:LookupKey"];
        if (!string.IsNullOrWhiteSpace(master) || !string.IsNullOrWhiteSpace(lookup))
        {
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(master) || string.IsNullOrWhiteSpace(lookup))
            {
                throw new InvalidOperationException("Set all of Tips:MasterKeyId, Tips:MasterKey and Tips:LookupKey, or none.");
            }

            var previous = configuration.GetSection("Tips:PreviousMasterKeys").GetChildren()
                .Where(c => !string.IsNullOrWhiteSpace(c.Value))
                .ToDictionary(c => c.Key, c => Convert.FromBase64String(c.Value!));
            return new TipKeys(id, Convert.FromBase64String(master), Convert.FromBase64String(lookup), previous);
        }

        if (!relaxations.GenerateTipKeys)
        {
            throw new InvalidOperationException(
                "Tips:MasterKeyId, Tips:MasterKey and Tips:LookupKey must be configured (or Dev:GenerateTipKeys set, in development). " +
                "Losing the master key loses every tip: see README, 'Keys'.");
        }

        var json = dataFolder.ReadOrCreatePrivateFile("dev-tip-keys.json", () => JsonSerializer.Serialize(new StoredKeys(
            "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)))));
        var stored = JsonSerializer.Deserialize<StoredKeys>(json)
            ?? throw new InvalidOperationException($"{dataFolder.File("dev-tip-keys.json")} is unreadable.");
        return new TipKeys(stored.MasterKeyId, Convert.FromBase64String(stored.MasterKey), Convert.FromBase64String(stored.LookupKey));
    }

    private sealed record StoredKeys(string MasterKeyId, string MasterKey, string LookupKey);
}
