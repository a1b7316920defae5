using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InfraTerra.Web.Infrastructure.Crypto;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// Self-hosted proof of work in ALTCHA's challenge format (version 2, spoken by the <c>altcha</c>
/// 3.x widget served from wwwroot/lib/altcha). The server signs random parameters with an HMAC;
/// the browser searches for a counter whose PBKDF2 key (password = nonce ‖ counter as big-endian
/// uint32) starts with <see cref="KeyPrefix"/>; the server derives the key once. Nothing is stored
/// per challenge and nothing reaches a third party.
/// <para>
/// The one costly step is that derivation, so it comes last (ADR 0003): size and format, signature,
/// expiry, and a solution another form already claimed are refused without it, and a check that
/// would reach it first spends one of the client's hourly checks (<c>RateLimits:ProofChecksPerHour</c>).
/// The defaults (cost 500, three zero hex digits) ask the browser ~4,096 tries of 500 iterations,
/// the same order as the former 256 of 5,000, for a tenth of the server's work per check.
/// </para>
/// </summary>
public sealed class ProofOfWork : IWidgetCheck
{
    public const string Algorithm = "PBKDF2/SHA-256";
    public const int KeyLength = 32;
    public const int MaxResponseLength = 4096;
    public const int DefaultCost = 500;
    public const int DefaultZeroHexDigits = 3;

    /// <summary>The widget fetches a challenge when the tipster presses Send, so it need not live long.</summary>
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(20);

    private readonly byte[] _signingKey;
    private readonly TimeProvider _clock;
    private readonly OneTimeUse _used;
    private long _derivations;

    public const string ClaimKind = "altcha";

    public ProofOfWork(TipKeys keys, TimeProvider clock, IConfiguration configuration, OneTimeUse used)
    {
        // Derived from a key every node already shares, so any node can check another's challenge.
        _signingKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.LookupKey, 32, info: Encoding.ASCII.GetBytes("altcha-challenge-signature"));
        _clock = clock;
        _used = used;
        Cost = Math.Clamp(configuration.GetValue("Captcha:ProofOfWork:Cost", DefaultCost), 1, 1_000_000);
        KeyPrefix = new string('0', Math.Clamp(configuration.GetValue("Captcha:ProofOfWork:ZeroHexDigits", DefaultZeroHexDigits), 1, 8));
    }

    /// <summary>PBKDF2 iterations per attempt.</summary>
    public int Cost { get; }

    /// <summary>Each extra zero multiplies the expected number of attempts by 16 (three zeros: 4,096).</summary>
    public string KeyPrefix { get; }

    /// <summary>How many keys this instance has derived: lets tests and the bench see which checks reached the costly step.</summary>
    public long Derivations => Interlocked.Read(ref _derivations);

    public string NewChallengeJson()
    {
        var parameters = new Parameters(
            Algorithm,
            Cost,
            (_clock.GetUtcNow() + ChallengeLifetime).ToUnixTimeSeconds(),
            KeyLength,
            KeyPrefix,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var canonical = parameters.CanonicalJson();
        return $"{{\"parameters\":{canonical},\"signature\":\"{Sign(canonical)}\"}}";
    }

    /// <param name="spendCostlyCheck">Asked only when every cheap check passed; false refuses with <see cref="CheckResult.TooMany"/> before deriving.</param>
    public async Task<CheckResult> VerifyAsync(string response, string form, Func<CancellationToken, Task<bool>>? spendCostlyCheck, CancellationToken cancellationToken)
    {
        // Size, format and the HMAC signature: only parameters this server signed go further.
        if (Read(response) is not { } payload)
        {
            return CheckResult.Wrong;
        }

        var (parameters, counter, derivedKey) = payload;
        var expires = DateTimeOffset.FromUnixTimeSeconds(parameters.ExpiresAt);
        if (expires < _clock.GetUtcNow())
        {
            return CheckResult.Expired;
        }

        // A key that does not carry the prefix cannot be the answer, whatever it derives from.
        if (!derivedKey.StartsWith(parameters.KeyPrefix, StringComparison.Ordinal))
        {
            return CheckResult.Wrong;
        }

        switch (await _used.HolderOfAsync(ClaimKind, parameters.Nonce, form, cancellationToken))
        {
            case ClaimHolder.Nobody:
                break;
            case ClaimHolder.ThisForm:
                // This form already proved this challenge (a double click, a retry after a 429 or 503).
                return CheckResult.Passed;
            default:
                return CheckResult.Expired;
        }

        if (spendCostlyCheck is not null && !await spendCostlyCheck(cancellationToken))
        {
            return CheckResult.TooMany;
        }

        if (!Derives(parameters, counter, derivedKey))
        {
            return CheckResult.Wrong;
        }

        return await _used.TryClaimAsync(ClaimKind, parameters.Nonce, form, expires, cancellationToken) ? CheckResult.Passed : CheckResult.Expired;
    }

    private bool Derives(Parameters parameters, uint counter, string derivedKey)
    {
        Interlocked.Increment(ref _derivations);
        var password = new byte[16 + sizeof(uint)];
        Convert.FromHexString(parameters.Nonce).CopyTo(password, 0);
        BinaryPrimitives.WriteUInt32BigEndian(password.AsSpan(16), counter);
        var key = Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(
            password, Convert.FromHexString(parameters.Salt), parameters.Cost, HashAlgorithmName.SHA256, parameters.KeyLength));
        return key.StartsWith(parameters.KeyPrefix, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key), Encoding.ASCII.GetBytes(derivedKey));
    }

    private string Sign(string canonical) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes(canonical)));

    /// <summary>
    /// The widget's answer: base64 of <c>{"challenge":{"parameters":{...},"signature":"..."},"solution":{"counter":n,"derivedKey":"..."}}</c>.
    /// Only parameters this server could have signed are read; anything else is a wrong answer, never an error.
    /// </summary>
    private Payload? Read(string response)
    {
        if (response.Length is 0 or > MaxResponseLength)
        {
            return null;
        }

        var bytes = new byte[response.Length];
        if (!Convert.TryFromBase64String(response, bytes, out var length))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(bytes.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 4 });
            var challenge = json.RootElement.GetProperty("challenge");
            var solution = json.RootElement.GetProperty("solution");
            var p = challenge.GetProperty("parameters");
            if (p.EnumerateObject().Count() != 7)
            {
                return null;
            }

            var parameters = new Parameters(
                p.GetProperty("algorithm").GetString()!,
                p.GetProperty("cost").GetInt32(),
                p.GetProperty("expiresAt").GetInt64(),
                p.GetProperty("keyLength").GetInt32(),
                p.GetProperty("keyPrefix").GetString()!,
                p.GetProperty("nonce").GetString()!,
                p.GetProperty("salt").GetString()!);
            var signature = challenge.GetProperty("signature").GetString() ?? "";
            var expected = Sign(parameters.CanonicalJson());
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(expected)))
            {
                return null;
            }

            var derivedKey = solution.GetProperty("derivedKey").GetString() ?? "";
            return solution.GetProperty("counter").TryGetUInt32(out var counter) && derivedKey.Length == KeyLength * 2
                ? new Payload(parameters, counter, derivedKey)
                : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private sealed record Payload(Parameters Parameters, uint Counter, string DerivedKey);

    /// <summary>Keys in ordinal order and no spaces: the bytes JavaScript's JSON.stringify gives for ALTCHA's sorted parameters.</summary>
    private sealed record Parameters(string Algorithm, int Cost, long ExpiresAt, int KeyLength, string KeyPrefix, string Nonce, string Salt)
    {
        public string CanonicalJson() => string.Create(CultureInfo.InvariantCulture,
            $"{{\"algorithm\":{JsonSerializer.Serialize(Algorithm)},\"cost\":{Cost},\"expiresAt\":{ExpiresAt},\"keyLength\":{KeyLength},\"keyPrefix\":{JsonSerializer.Serialize(KeyPrefix)},\"nonce\":{JsonSerializer.Serialize(Nonce)},\"salt\":{JsonSerializer.Serialize(Salt)}}}");
    }
}
