using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Rate limits need to tell clients apart without recording who they are: a keyed hash of the
/// client's address (an IPv6 address by its /64 network) under a key that exists only in this process's memory. It is never stored,
/// never logged, and means nothing after a restart.
/// <para>
/// Behind a reverse proxy every request comes from the proxy, so all visitors would share one
/// budget. For a proxy listed in <c>Proxy:TrustedProxies</c> the client is the nearest address in
/// its <c>X-Forwarded-For</c> that is not itself a trusted proxy; that address is only hashed here,
/// like a direct one. An onion service's visitors all arrive from the local Tor daemon with no such
/// header: they share one budget, so an onion-facing instance needs higher limits (README).
/// </para>
/// </summary>
public sealed class ClientKeys(IConfiguration configuration)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly HashSet<IPAddress> _trustedProxies = [.. TrustedProxies(configuration)];

    public string For(HttpContext context) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Network(ClientAddress(context))), 0, 16);

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
