using System.Net;
using System.Security.Cryptography;
using InfraTerra.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Operations;

/// <summary>With Proxy:TrustedProxies listed, only those proxies may say the visitor came over https.</summary>
public sealed class ForwardedProtoTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("192.0.2.10", false)]
    public async Task Production_XForwardedProto_CountsOnlyFromATrustedProxy(string trustedProxy, bool expectHttps)
    {
        using var app = new AppFactory(
            new()
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2",
                ["Tips:MasterKeyId"] = "test",
                ["Tips:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Tips:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Audit:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                ["DataProtection:CertificatePath"] = TestCertificate.Create(),
                ["Proxy:ForwardedProto"] = "true",
                ["Proxy:TrustedProxies"] = trustedProxy,
            },
            environment: "Production");
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        // HSTS is never sent to localhost, so the request names a public host, as through a proxy.
        request.Headers.Host = "tips.infraterra.test";
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectHttps, response.Headers.Contains("Strict-Transport-Security"));
    }
}
