using System.Security.Cryptography;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Rate limits need to tell clients apart without recording who they are: a keyed hash of the
/// client's address under a key that exists only in this process's memory. It is never stored,
/// never logged, and means nothing after a restart.
/// </summary>
public sealed class ClientKeys
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string For(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress?.GetAddressBytes() ?? [];
        return Convert.ToBase64String(HMACSHA256.HashData(_key, address), 0, 16);
    }
}
