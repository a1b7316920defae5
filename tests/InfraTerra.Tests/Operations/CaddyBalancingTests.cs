using System.Net;
using InfraTerra.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Operations;

/// <summary>The repository's Caddyfile with the upstream list compose gives it, one node of which is down.</summary>
public sealed class CaddyBalancingTests
{
    [SkippableFact]
    public async Task Caddyfile_WithTwoUpstreams_OneDown_ServesEveryRequestFromTheOther()
    {
        var caddy = RealParts.RequireCaddy();
        var root = RealParts.RepositoryRoot() ?? throw new InvalidOperationException("Repository root not found.");
        using var app = new AppFactory();
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var live = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var down = $"127.0.0.1:{CaddyProxy.FreeLoopbackPort()}";

        using var proxy = await CaddyProxy.StartAsync(caddy, Path.Combine(root, "Caddyfile"), "tips.infraterra.test", CaddyProxy.FreeLoopbackPort(), $"{down} {live.Authority}");
        using var client = proxy.CreateClient();

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/notices")).StatusCode);
        }
    }
}
