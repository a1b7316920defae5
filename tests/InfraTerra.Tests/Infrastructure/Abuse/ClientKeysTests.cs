using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Abuse;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace InfraTerra.Tests.Infrastructure.Abuse;

/// <summary>How the hourly limits tell clients apart, directly and behind a trusted reverse proxy.</summary>
public sealed class ClientKeysTests
{
    private static readonly ClientKeys Keys = new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Proxy:TrustedProxies"] = "10.0.0.1, 10.0.0.2" })
        .Build(), TimeProvider.System);

    private static string KeyOf(string remote, string? forwardedFor = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        // Without Redis the key is this process's own: the answer is ready at once.
        var key = Keys.ForAsync(context, CancellationToken.None);
        return key.IsCompletedSuccessfully ? key.Result : throw new InvalidOperationException("Without Redis a client key needs no wait.");
    }

    [Fact]
    public void BehindATrustedProxy_TheForwardedClientIsTheKey()
    {
        Assert.Equal(KeyOf("203.0.113.5"), KeyOf("10.0.0.1", "203.0.113.5"));
        Assert.NotEqual(KeyOf("10.0.0.1", "203.0.113.5"), KeyOf("10.0.0.1", "203.0.113.6"));
    }

    [Fact]
    public void ChainOfTrustedProxies_IsWalkedFromTheRight_SoAForgedLeftmostHopIsIgnored()
    {
        Assert.Equal(KeyOf("203.0.113.5"), KeyOf("10.0.0.1", "198.51.100.9, 203.0.113.5, 10.0.0.2"));
    }

    [Fact]
    public void FromAnUntrustedAddress_TheHeaderIsIgnored()
    {
        Assert.Equal(KeyOf("192.0.2.7"), KeyOf("192.0.2.7", "203.0.113.5"));
    }

    [Fact]
    public void MalformedHeader_FallsBackToTheProxy_AndIPv4MappedAddressesCount()
    {
        Assert.Equal(KeyOf("10.0.0.1"), KeyOf("10.0.0.1", "not-an-address"));
        Assert.Equal(KeyOf("203.0.113.5"), KeyOf("::ffff:10.0.0.1", "203.0.113.5"));
    }

    [Fact]
    public void IPv6Clients_AreTheirSlash64_SoOneHostCannotRotateAddressesForFreshBudgets()
    {
        Assert.Equal(KeyOf("2001:db8:1:2::1"), KeyOf("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        Assert.NotEqual(KeyOf("2001:db8:1:2::1"), KeyOf("2001:db8:1:3::1"));
        Assert.Equal(KeyOf("2001:db8:1:2::7"), KeyOf("10.0.0.1", "2001:db8:1:2::8"));
    }

    [Fact]
    public void IPv4MappedIPv6_StaysTheIPv4Address_NotItsNetwork()
    {
        Assert.Equal(KeyOf("192.0.2.7"), KeyOf("::ffff:192.0.2.7"));
        Assert.NotEqual(KeyOf("::ffff:192.0.2.7"), KeyOf("::ffff:192.0.2.8"));
    }

    [Fact]
    public void TrustedProxiesThatAreNotAddresses_RefuseToStart()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Proxy:TrustedProxies"] = "proxy.example" })
            .Build();

        Assert.Throws<InvalidOperationException>(() => new ClientKeys(configuration, TimeProvider.System));
    }
}
