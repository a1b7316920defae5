using System.Security.Cryptography;

namespace InfraTerra.Web.Infrastructure.Audit;

/// <summary>
/// The secret that chains the audit log, kept outside the database (<c>Audit:Key</c>, 32 bytes,
/// base64), so someone who can write to the database cannot rewrite the log and its MACs.
/// Development generates one into the data folder when <c>Dev:GenerateTipKeys</c> allows it.
/// </summary>
public sealed class AuditKey
{
    public const int KeyBytes = 32;
    public const string DevelopmentFile = "dev-audit-key";

    public AuditKey(byte[] key)
    {
        if (key.Length != KeyBytes)
        {
            throw new InvalidOperationException("Audit:Key must be 32 bytes (256 bits), base64-encoded.");
        }

        Key = key;
    }

    public byte[] Key { get; }

    public static AuditKey Load(IConfiguration configuration, DevRelaxations relaxations, DataFolder dataFolder)
    {
        if (configuration["Audit:Key"] is { Length: > 0 } configured)
        {
            return new AuditKey(Convert.FromBase64String(configured.Trim()));
        }

        if (!relaxations.GenerateTipKeys)
        {
            throw new InvalidOperationException(
                "Audit:Key must be configured (32 random bytes, base64), outside the database (or Dev:GenerateTipKeys set, in development).");
        }

        var stored = dataFolder.ReadOrCreatePrivateFile(DevelopmentFile, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
        return new AuditKey(Convert.FromBase64String(stored.Trim()));
    }
}
