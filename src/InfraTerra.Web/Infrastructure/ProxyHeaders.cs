using InfraTerra.Web.Infrastructure.Abuse;
using Microsoft.AspNetCore.HttpOverrides;

namespace InfraTerra.Web.Infrastructure;

public static class ProxyHeaders
{
    /// <summary>
    /// Behind a TLS-terminating proxy (<c>Proxy:ForwardedProto</c>): trust only the scheme it reports
    /// (for HSTS and secure cookies), and only from <c>Proxy:TrustedProxies</c> when they are listed.
    /// X-Forwarded-For is not applied to the connection: only <see cref="ClientKeys"/> reads it, to
    /// hash it for the rate limits.
    /// </summary>
    public static WebApplication UseProxyHeaders(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Proxy:ForwardedProto", false))
        {
            return app;
        }

        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto };
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        foreach (var proxy in ClientKeys.TrustedProxies(app.Configuration))
        {
            forwarded.KnownProxies.Add(proxy);
        }

        app.UseForwardedHeaders(forwarded);
        return app;
    }
}
