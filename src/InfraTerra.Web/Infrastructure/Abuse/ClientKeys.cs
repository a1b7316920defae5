using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Web.Infrastructure.Crypto;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Rate limits need to tell clients apart without recording who they are: a keyed hash of the
/// client's address (an IPv6 address by its /64 network). The hashing key is never written to disk,
/// to Redis or to a log. Without Redis it exists only in this process's memory and means nothing
/// after a restart; each node then hashes a client differently. With Redis every node must hash a
/// client alike, or no limit could be global: each node derives the key of the day (UTC) itself,
/// HKDF-SHA256 over <c>Tips:LookupKey</c> (a secret every node already holds) with the info
/// <c>client-hash:yyyy-MM-dd</c>. Redis only ever sees the hashes, never the key: its contents
/// (a dump, <c>MONITOR</c>) cannot be turned back into addresses by hashing every IPv4 address.
/// Budgets and counters start again at midnight UTC, and nodes agree on the key whatever happens
/// to Redis.
/// <para>
/// Behind a reverse proxy every request comes from the proxy, so all visitors would share one
/// budget. For a proxy listed in <c>Proxy:TrustedProxies</c> the client is the nearest address in
/// its <c>X-Forwarded-For</c> that is not itself a trusted proxy; that address is only hashed here,
/// like a direct one. An onion service's visitors all arrive from the local Tor daemon with no such
/// header: they share one budget, so an onion-facing instance needs higher limits (README).
/// </para>
/// </summary>
public sealed class ClientKeys
{
    private readonly TimeProvider _clock;
    private readonly byte[]? _sharedSecret;
    private readonly byte[] _processKey = RandomNumberGenerator.GetBytes(32);
    private readonly HashSet<IPAddress> _trustedProxies;
    private DayKey? _shared;

    /// <param name="shared">
    /// The secrets of a node that shares its limits with others (Redis configured): the day's key is
    /// derived from their lookup key. Null: this process's own random key.
    /// </param>
    public ClientKeys(IConfiguration configuration, TimeProvider clock, TipKeys? shared = null)
    {
        _clock = clock;
        _sharedSecret = shared?.LookupKey;
        _trustedProxies = [.. TrustedProxies(configuration)];
    }

    /// <summary>The client's keyed hash: the same on every node sharing the lookup key, this node's own otherwise.</summary>
    public string For(HttpContext context)
    {
        var key = _sharedSecret is null ? _processKey : SharedKey();
        return Convert.ToBase64String(HMACSHA256.HashData(key, Network(ClientAddress(context))), 0, 16);
    }

    /// <summary>The shared hashing key of a UTC day: derived, never stored or sent anywhere.</summary>
    public static byte[] DayKeyOf(byte[] secret, DateOnly day) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32,
            info: Encoding.ASCII.GetBytes("client-hash:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    private byte[] SharedKey()
    {
        var day = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        if (Volatile.Read(ref _shared) is { } held && held.Day == day)
        {
            return held.Key;
        }

        var derived = DayKeyOf(_sharedSecret!, day);
        Volatile.Write(ref _shared, new DayKey(day, derived));
        return derived;
    }

    /// <summary>
    /// An IPv6 client is its /64: one subscriber or host usually gets a whole /64 and can pick any
    /// address in it, so the full address would give one client billions of budgets.
    /// </summary>
    private static byte[] Network(IPAddress? address) => address switch
    {
        null => [],
        { AddressFamily: AddressFamily.InterNetworkV6 } => address.GetAddressBytes()[..8],
        _ => address.GetAddressBytes(),
    };

    private IPAddress? ClientAddress(HttpContext context)
    {
        var address = Normal(context.Connection.RemoteIpAddress);
        if (address is null || !_trustedProxies.Contains(address))
        {
            return address;
        }

        var hops = context.Request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = hops.Length - 1; i >= 0 && i >= hops.Length - 10; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                // A malformed hop cannot be trusted further; what the proxy saw is the best we have.
                return address;
            }

            hop = Normal(hop)!;
            if (!_trustedProxies.Contains(hop))
            {
                return hop;
            }

            address = hop;
        }

        return address;
    }

    private sealed record DayKey(DateOnly Day, byte[] Key);

    private static IPAddress? Normal(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    /// <summary>The addresses in <c>Proxy:TrustedProxies</c> (a comma-separated value or a list).</summary>
    public static IEnumerable<IPAddress> TrustedProxies(IConfiguration configuration)
    {
        var configured = configuration.GetSection("Proxy:TrustedProxies").GetChildren().Select(c => c.Value)
            .Concat((configuration["Proxy:TrustedProxies"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        foreach (var value in configured.Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            yield return IPAddress.TryParse(value, out var proxy)
                ? Normal(proxy)!
                : throw new InvalidOperationException($"Proxy:TrustedProxies holds '{value}', which is not an IP address.");
        }
    }
}
