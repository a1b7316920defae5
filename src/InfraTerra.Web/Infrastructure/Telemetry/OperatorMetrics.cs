using System.Net;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.AspNetCore.OutputCaching;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace InfraTerra.Web.Infrastructure.Telemetry;

/// <summary>
/// Metrics for the operator (README, "Observability"): the app's meter and ASP.NET Core's own, in
/// Prometheus' text format at <c>/metrics</c>, served only on <c>Metrics:Port</c> (a second listening
/// port, off unless set) and only to a direct peer inside <c>Metrics:AllowedNetworks</c>. Every other
/// request for it is a plain 404, on any port; the metrics port serves nothing else.
/// </summary>
public static class OperatorMetrics
{
    public const string Path = "/metrics";

    // Tags of these meters: method, route template, status code, scheme, protocol, error type, the
    // server's own address and port. None carries a client's address, agent, query or typed text.
    private static readonly string[] AspNetCoreMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Runtime",
    ];

    public static WebApplicationBuilder AddOperatorMetrics(this WebApplicationBuilder builder)
    {
        var access = MetricsAccess.From(builder.Configuration);
        builder.Services.AddSingleton(access);
        builder.Services.AddSingleton<QueueSizes>();
        builder.Services.AddSingleton<HourlyTipCounts>();
        builder.Services.AddHealthChecksForSharedState(builder.Configuration);
        if (!access.Enabled)
        {
            return builder;
        }

        builder.WebHost.UseUrls([.. PublicUrls(builder.Configuration), access.ListenUrl]);
        // Now part of the URLs: cleared, so the host does not warn that the URLs override them.
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        var node = NodeIdentity.From(builder.Configuration);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("infraterra", serviceInstanceId: node.Name))
            .WithMetrics(m => m
                .AddMeter(AppMetrics.MeterName)
                .AddMeter(AspNetCoreMeters)
                // In-flight requests by method would show a tip's POST (a large upload lasts seconds) to
                // a scrape that falls within it: only the total, which every page view moves too.
                .AddView("http.server.active_requests", new MetricStreamConfiguration { TagKeys = ["url.scheme"] })
                .AddPrometheusExporter(o =>
                {
                    o.ScrapeEndpointPath = Path;
                    // Each scrape collects afresh; the endpoint is for one or two scrapers.
                    o.ScrapeResponseCacheDurationMilliseconds = 0;
                }));
        return builder;
    }

    /// <summary>
    /// Wraps the output cache store registered last (the in-memory one, or Redis's when configured)
    /// to count hits and misses. Call after every registration of a store.
    /// </summary>
    public static IServiceCollection CountOutputCacheLookups(this IServiceCollection services) =>
        services.DecorateLast<IOutputCacheStore>((sp, store) => CountingOutputCacheStore.Wrap(store, sp.GetRequiredService<AppMetrics>()));

    /// <summary>First in the pipeline, before the proxy headers: the peer is the connection's own address.</summary>
    public static WebApplication UseOperatorMetrics(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<MetricsAccess>();
        app.Use(async (context, next) =>
        {
            var onMetricsPort = access.Enabled && context.Connection.LocalPort == access.Port;
            var forMetrics = context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);
            if (onMetricsPort ? !(forMetrics && access.Allows(context)) : forMetrics)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(context);
        });
        if (access.Enabled)
        {
            // Creating them adds their gauges to the meter.
            app.Services.GetRequiredService<QueueSizes>();
            app.Services.GetRequiredService<HourlyTipCounts>();
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Connection.LocalPort == access.Port
                && context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase));
        }

        return app;
    }

    /// <summary>
    /// The addresses the app would listen on without the metrics port (<c>--urls</c> or
    /// ASPNETCORE_URLS, else ASPNETCORE_HTTP_PORTS and HTTPS_PORTS, else Kestrel's default), so that
    /// adding the metrics port keeps them.
    /// </summary>
    public static IReadOnlyList<string> PublicUrls(IConfiguration configuration)
    {
        static IEnumerable<string> Split(string? list) =>
            (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]).ToList();
        if (urls.Count > 0)
        {
            return urls;
        }

        urls.AddRange(Split(configuration[WebHostDefaults.HttpPortsKey]).Select(p => $"http://*:{p}"));
        urls.AddRange(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => $"https://*:{p}"));
        return urls.Count > 0 ? urls : ["http://localhost:5000"];
    }
}

/// <summary><c>Metrics:Port</c> and <c>Metrics:AllowedNetworks</c>: who may read the metrics.</summary>
public sealed class MetricsAccess
{
    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly IReadOnlyList<IPAddress> _proxies;

    private MetricsAccess(int port, IReadOnlyList<IPNetwork> allowed, IReadOnlyList<IPAddress> proxies)
    {
        Port = port;
        _allowed = allowed;
        _proxies = proxies;
    }

    public static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public int Port { get; }
    public bool Enabled => Port > 0;
    public IReadOnlyList<IPNetwork> AllowedNetworks => _allowed;

    /// <summary>Loopback only when every allowed network is loopback; else every interface (the networks decide).</summary>
    public string ListenUrl => _allowed.All(n => IPAddress.IsLoopback(n.BaseAddress))
        ? $"http://localhost:{Port}"
        : $"http://*:{Port}";

    public static MetricsAccess From(IConfiguration configuration)
    {
        var port = configuration.GetValue("Metrics:Port", 0);
        if (port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"Metrics:Port {port} is not a port (1-65535, or 0 for no metrics).");
        }

        var listed = (configuration["Metrics:AllowedNetworks"] ?? "")
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var allowed = new List<IPNetwork>();
        foreach (var item in listed)
        {
            allowed.Add(IPNetwork.TryParse(item, out var network)
                ? network
                : IPAddress.TryParse(item, out var address)
                    ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                    : throw new InvalidOperationException($"Metrics:AllowedNetworks: '{item}' is not a network (CIDR, e.g. 10.0.0.0/8) or an address."));
        }

        return new MetricsAccess(port, allowed.Count > 0 ? allowed : Loopback, ClientKeys.TrustedProxies(configuration).ToList());
    }

    /// <summary>
    /// The connection's peer, never a forwarded address: a request that carries forwarding headers, or
    /// comes from a configured reverse proxy, came through the public side and is refused.
    /// </summary>
    public bool Allows(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null || context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("Forwarded"))
        {
            return false;
        }

        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        return !_proxies.Any(p => p.Equals(peer)) && _allowed.Any(n => n.Contains(peer));
    }
}
