using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using InfraTerra.Web.Infrastructure.SharedState;
using StackExchange.Redis;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Rate limits need to tell clients apart without recording who they are: a keyed hash of the
/// client's address (an IPv6 address by its /64 network). The hashing key is never written to disk
/// or logged. Without Redis it exists only in this process's memory and means nothing after a
/// restart; each node then hashes a client differently. With Redis every node must hash a client
/// alike, or no limit could be global: the key of the day (UTC) is a random one that the first node
/// to need it sets in Redis (<c>SET NX</c>, expiring after two days), and which every node reads and
/// keeps in memory for that day. Budgets and counters therefore start again at midnight UTC. A Redis
/// that persists its data would keep the key on its disk: run it without persistence (README).
/// <para>
/// Behind a reverse proxy every request comes from the proxy, so all visitors would share one
/// budget. For a proxy listed in <c>Proxy:TrustedProxies</c> the client is the nearest address in
/// its <c>X-Forwarded-For</c> that is not itself a trusted proxy; that address is only hashed here,
/// like a direct one. An onion service's visitors all arrive from the local Tor daemon with no such
/// header: they share one budget, so an onion-facing instance needs higher limits (README).
/// </para>
/// </summary>
public sealed class ClientKeys(IConfiguration configuration, TimeProvider clock, SharedRedis? redis = null)
{
    public static readonly TimeSpan SharedKeyLifetime = TimeSpan.FromDays(2);

    private readonly byte[] _processKey = RandomNumberGenerator.GetBytes(32);
    private readonly HashSet<IPAddress> _trustedProxies = [.. TrustedProxies(configuration)];
    private DayKey? _shared;

    /// <summary>The client's keyed hash: the same on every node sharing a Redis, this node's own otherwise.</summary>
    public async ValueTask<string> ForAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var key = redis is null ? _processKey : await SharedKeyAsync();
        return Convert.ToBase64String(HMACSHA256.HashData(key, Network(ClientAddress(context))), 0, 16);
    }

    private async ValueTask<byte[]> SharedKeyAsync()
    {
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (Volatile.Read(ref _shared) is { } held && held.Day == day)
        {
            return held.Key;
        }

        var database = redis!.Database;
        var name = "client-hash-key:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await database.StringSetAsync(name, RandomNumberGenerator.GetBytes(32), SharedKeyLifetime, When.NotExists);
        var stored = (byte[]?)await database.StringGetAsync(name);
        if (stored is not { Length: 32 })
        {
            throw new RedisException("The shared client hashing key could not be read.");
        }

        Volatile.Write(ref _shared, new DayKey(day, stored));
        return stored;
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
