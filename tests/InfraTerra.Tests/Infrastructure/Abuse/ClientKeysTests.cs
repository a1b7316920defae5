using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Crypto;
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

        return Keys.For(context);
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
    public void SharingNodes_WithTheSameLookupKey_HashAClientAlike_AndWithAnotherLookupKeyDifferently()
    {
        var lookup = RandomNumberGenerator.GetBytes(TipKeys.KeyBytes);
        var clock = new TestClock();
        var one = Shared(lookup, clock);
        var other = Shared(lookup, clock);
        var stranger = Shared(RandomNumberGenerator.GetBytes(TipKeys.KeyBytes), clock);

        Assert.Equal(HashOf(one, "203.0.113.5"), HashOf(other, "203.0.113.5"));
        Assert.NotEqual(HashOf(one, "203.0.113.5"), HashOf(stranger, "203.0.113.5"));
        // Without shared secrets each process keeps its own key.
        Assert.NotEqual(HashOf(new ClientKeys(Empty, clock), "203.0.113.5"), HashOf(new ClientKeys(Empty, clock), "203.0.113.5"));
    }

    [Fact]
    public void TheSharedHashingKey_IsDerivedAnewEachUtcDay_FromTheLookupKey()
    {
        var lookup = RandomNumberGenerator.GetBytes(TipKeys.KeyBytes);
        var clock = new TestClock();
        var keys = Shared(lookup, clock);
        var today = HashOf(keys, "203.0.113.5");
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(
            HKDF.DeriveKey(HashAlgorithmName.SHA256, lookup, 32, info: Encoding.ASCII.GetBytes("client-hash:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
            IPAddress.Parse("203.0.113.5").GetAddressBytes()), 0, 16);

        clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(expected, today);
        Assert.NotEqual(today, HashOf(keys, "203.0.113.5"));
    }

    private static readonly IConfiguration Empty = new ConfigurationBuilder().Build();

    private static ClientKeys Shared(byte[] lookup, TimeProvider clock) =>
        new(Empty, clock, new TipKeys("test", RandomNumberGenerator.GetBytes(TipKeys.KeyBytes), lookup));

    private static string HashOf(ClientKeys keys, string remote)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        return keys.For(context);
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
