using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

public sealed class PrivacyTests
{
    [Fact]
    public async Task Submitting_ATip_LeavesNoUserAgentOrTipTextInLogsOrDatabaseFile()
    {
        using var factory = new AppFactory();
        var client = Clients.New(factory);
        var userAgent = "PrivacyProbeAgent/" + Guid.NewGuid().ToString("N");
        var secretText = "PrivacyProbeText" + Guid.NewGuid().ToString("N");
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);

        var (response, _) = await TipForms.SubmitAsync(client, "/tips/new?notice=2014-90003", f =>
        {
            f["Input.Description"] = secretText + " near the market.";
            f["Input.Place"] = secretText + "-place";
        });
        await TipForms.ReceiptAsync(client, response);

        Assert.NotEmpty(factory.Logs.Events);
        Assert.Contains("/tips/new", factory.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(userAgent, factory.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(secretText, factory.Logs.AllText, StringComparison.Ordinal);
        var files = Directory.GetFiles(factory.DataFolder);
        Assert.Contains(files, f => f.EndsWith("infraterra.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(secretText, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(userAgent, bytes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OverARealSocket_TheClientAddressAndForwardedHeaders_ReachNoLogAndNoDatabaseFile()
    {
        // A distinctive loopback address of our own (all of 127/8 is local on Linux), so that a
        // match cannot come from anything but this client.
        var address = IPAddress.Parse($"127.{RandomNumberGenerator.GetInt32(2, 250)}.{RandomNumberGenerator.GetInt32(2, 250)}.{RandomNumberGenerator.GetInt32(2, 250)}");
        var forwarded = $"198.51.100.{RandomNumberGenerator.GetInt32(2, 250)}";
        var userAgent = "SocketProbe/" + Guid.NewGuid().ToString("N");
        var seen = new ConcurrentBag<string>();
        using var factory = new AppFactory
        {
            ExtraServices = services => services.AddSingleton<IStartupFilter>(new RecordRemoteAddresses(seen)),
        };
        var baseUrl = factory.StartKestrel();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(address, 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwarded);
        client.DefaultRequestHeaders.Add("X-Real-IP", forwarded);

        var (response, _) = await TipForms.SubmitAsync(client, "/tips/new?notice=2014-90003", f => f["Input.Description"] = "Seen at the harbour, probe over a socket.");
        var receipt = await TipForms.ReceiptAsync(client, response);
        var lookup = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/follow-up")));
        lookup["Receipt"] = receipt;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/tips/follow-up?handler=Open", new FormUrlEncodedContent(lookup))).StatusCode);
        lookup["Receipt"] = "WRNG-WRNG-WRNG-WRNG-WRNG-WRNG";
        await client.PostAsync("/tips/follow-up?handler=Open", new FormUrlEncodedContent(lookup));

        // The probe reached the app: had it written the address anywhere, we would find it.
        Assert.Contains(seen, a => a.EndsWith(address.ToString(), StringComparison.Ordinal));
        var logs = factory.Logs.AllText;
        Assert.Contains("/tips/new", logs, StringComparison.Ordinal);
        foreach (var probe in new[] { address.ToString(), forwarded, userAgent })
        {
            Assert.DoesNotContain(probe, logs, StringComparison.Ordinal);
            foreach (var file in Directory.GetFiles(factory.DataFolder))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.DoesNotContain(probe, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
                Assert.DoesNotContain(probe, Encoding.Unicode.GetString(bytes), StringComparison.Ordinal);
            }
        }
    }

    private sealed class RecordRemoteAddresses(ConcurrentBag<string> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                seen.Add(context.Connection.RemoteIpAddress?.ToString() ?? "");
                await following();
            });
            next(app);
        };
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/notices")]
    [InlineData("/tips/new")]
    public async Task PublicPages_SendStrictSecurityHeaders(string path)
    {
        using var factory = new AppFactory();
        var response = await factory.CreateClient().GetAsync(path);

        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("geolocation=()", response.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/notices")]
    [InlineData("/notices/2014-90001")]
    public async Task BrowsingPages_SetNoCookies(string path)
    {
        using var factory = new AppFactory();
        var response = await factory.CreateClient().GetAsync(path);
        Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} set a cookie");
    }
}
