using System.Net;
using System.Net.Sockets;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Abuse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Operations;

/// <summary>
/// Alone, not beside other test classes: the exporter listens to meters by name across the process,
/// so other apps' instruments of the same names would count into these scrapes, and one of those
/// apps being disposed would take the shared streams out of them.
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests
{
    private const string Address = "203.0.113.77";
    private const string Agent = "QuirkyBrowser/9.87";
    private const string QueryText = "Zanzibarquest";
    private const string TipText = "Saw the man near the Quokkalighthouse pier at dawn";

    [Fact]
    public async Task Scrape_CountsRequestsTipsAndCacheHits_WithoutAnyAddressAgentQueryOrTipText()
    {
        using var app = new MetricsApp();
        app.Clock.Advance(app.ToTenPastTheNextHour());
        using var client = app.PublicClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", Address);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Agent);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/notices?q={QueryText}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/notices?q={QueryText}")).StatusCode);
        var (accepted, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = TipText);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var (refused, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);

        // The forwarded address was the client (the public port's peer is a trusted proxy), not the
        // proxy: had it reached a label, the scrape would show it.
        Assert.NotEmpty(app.PublicClientKeys);
        Assert.All(app.PublicClientKeys, key => Assert.Equal(app.ClientKeyOf(Address), key));
        Assert.NotEqual(app.ClientKeyOf(MetricsApp.ProxyAddress), app.ClientKeyOf(Address));

        // The hour turns: the tips of the hour before are published.
        app.Clock.Advance(TimeSpan.FromHours(1));
        var scrape = await app.ScrapeUntilAsync(@"(?m)^infraterra_tips_queue\{[^}]*status=""New""[^}]*\} 1$");

        Assert.Matches(@"(?m)^infraterra_tips_accepted_last_hour\{[^}]*\} 1$", scrape);
        Assert.Matches(@"(?m)^infraterra_tips_refused_last_hour\{[^}]*reason=""invalid""[^}]*\} 1$", scrape);
        Assert.Matches(@"(?m)^infraterra_output_cache_lookups_total\{[^}]*result=""hit""[^}]*\} [1-9]", scrape);
        Assert.Matches(@"(?m)^infraterra_output_cache_lookups_total\{[^}]*result=""miss""[^}]*\} [1-9]", scrape);
        Assert.Matches(@"(?m)^http_server_request_duration_seconds_count\{[^}]*http_request_method=""GET""[^}]*http_route=""notices""[^}]*\} [1-9]", scrape);
        foreach (var secret in new[] { Address, Agent, "QuirkyBrowser", QueryText, "Quokkalighthouse", "Saw the man" })
        {
            Assert.DoesNotContain(secret, scrape, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// ADR 0005 keeps tipster-side times to the hour; a series that moves when a tip arrives would date
    /// it to the scrape interval. Between two scrapes a tipster opens the form, fetches a challenge,
    /// sends a tip and a refused one, reads the receipt, opens the follow-up and replies: nothing in the
    /// second scrape tells it, until the hour turns.
    /// </summary>
    [Fact]
    public async Task ATipAndAReply_BetweenTwoScrapes_ChangeNoSeries_TheHourlyGaugesShowThemWhenTheHourTurns()
    {
        using var app = new MetricsApp();
        app.Clock.Advance(app.ToTenPastTheNextHour());
        using var client = app.PublicClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", Address);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/notices")).StatusCode);
        var before = await app.ScrapeUntilAsync(@"(?m)^infraterra_tips_queue\{[^}]*status=""New""[^}]*\} 0$");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tips/challenge")).StatusCode);
        var (accepted, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = TipText);
        var receipt = await TipForms.ReceiptAsync(client, accepted);
        var (refused, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var opened = await Html.ParseAsync(await Clients.PostFormAsync(client, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        }));
        var reply = Html.FormFields(opened, "main form");
        reply["Reply.Message"] = "One more thing about the pier.";
        Assert.True((await client.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(reply))).StatusCode
            is HttpStatusCode.OK or HttpStatusCode.Redirect);
        var after = await app.ScrapeAsync();

        // No request series of the tip's pages at all, and every other request series as it was (the
        // scrapes themselves have no route).
        Assert.DoesNotMatch(@"(?i)http_route=""/?tips/", after);
        Assert.Equal(RoutedRequests(before), RoutedRequests(after));
        Assert.Equal(TipSeries(before), TipSeries(after));
        Assert.DoesNotContain("infraterra_tips_accepted_total", after, StringComparison.Ordinal);
        Assert.DoesNotContain("infraterra_tips_refused_total", after, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^infraterra_tips_accepted_last_hour\{[^}]*\} 0$", after);

        app.Clock.Advance(TimeSpan.FromHours(1));
        var turned = await app.ScrapeUntilAsync(@"(?m)^infraterra_tips_queue\{[^}]*status=""New""[^}]*\} 1$");

        Assert.Matches(@"(?m)^infraterra_tips_accepted_last_hour\{[^}]*\} 1$", turned);
        Assert.Matches(@"(?m)^infraterra_tips_refused_last_hour\{[^}]*reason=""invalid""[^}]*\} 1$", turned);
        Assert.Matches(@"(?m)^infraterra_tips_refused_last_hour\{[^}]*reason=""rate_limited""[^}]*\} 0$", turned);

        // And the hour after, with no tip, is empty again.
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Matches(@"(?m)^infraterra_tips_accepted_last_hour\{[^}]*\} 0$", await app.ScrapeAsync());
    }

    /// <summary>The request-duration counts that carry a route: <c>http_route="…"</c> with their values.</summary>
    private static List<string> RoutedRequests(string scrape) =>
        [.. scrape.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal) && l.Contains("http_route=", StringComparison.Ordinal))];

    private static List<string> TipSeries(string scrape) =>
        [.. scrape.Split('\n').Where(l => l.StartsWith("infraterra_tips_", StringComparison.Ordinal))];

    [Fact]
    public async Task Metrics_OnThePublicPort_IsAPlain404_AndTheMetricsPortServesNothingElse()
    {
        using var app = new MetricsApp();
        using var client = app.PublicClient();
        using var operatorClient = new HttpClient { BaseAddress = new Uri(app.MetricsUrl) };

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/METRICS/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/notices")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync("/notices")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync("/tips/new")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_ForAPeerOutsideTheAllowedNetworks_IsA404_WhateverItForwards()
    {
        using var app = new MetricsApp(new() { ["Metrics:AllowedNetworks"] = "10.99.0.0/16" });
        using var operatorClient = new HttpClient { BaseAddress = new Uri(app.MetricsUrl) };
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        forwarded.Headers.Add("X-Forwarded-For", "10.99.0.5");

        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.SendAsync(forwarded)).StatusCode);
    }

    [Fact]
    public async Task Metrics_FromAnAllowedPeer_ThatCameThroughAProxy_IsA404()
    {
        using var app = new MetricsApp();
        using var operatorClient = new HttpClient { BaseAddress = new Uri(app.MetricsUrl) };
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        forwarded.Headers.Add("X-Forwarded-For", "127.0.0.1");

        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.SendAsync(forwarded)).StatusCode);
    }

    [Fact]
    public async Task Metrics_WithoutAMetricsPort_AreNotServedAtAll()
    {
        using var factory = new AppFactory();
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    /// <summary>
    /// The app on real Kestrel with its public port and a metrics port on loopback, on a clock of the
    /// test's. Public requests come from 127.0.0.2, a trusted proxy, so their X-Forwarded-For is the
    /// client; scrapes come from 127.0.0.1, a direct operator peer.
    /// </summary>
    private sealed class MetricsApp : IDisposable
    {
        public const string ProxyAddress = "127.0.0.2";

        private readonly AppFactory _factory;
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _clients = [];

        public MetricsApp(Dictionary<string, string?>? settings = null)
        {
            var publicPort = FreePort();
            var metricsPort = FreePort();
            var all = new Dictionary<string, string?>
            {
                ["urls"] = $"http://127.0.0.1:{publicPort}",
                ["Metrics:Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Proxy:TrustedProxies"] = ProxyAddress,
            };
            foreach (var (key, value) in settings ?? [])
            {
                all[key] = value;
            }

            _factory = new AppFactory(all)
            {
                ExtraServices = s => s.AddSingleton<TimeProvider>(Clock).AddSingleton<IStartupFilter>(new ClientProbe(publicPort, _clients)),
            };
            _factory.UseKestrel();
            _factory.StartServer();
            PublicUrl = $"http://127.0.0.1:{publicPort}";
            MetricsUrl = $"http://127.0.0.1:{metricsPort}";
        }

        public string PublicUrl { get; }
        public string MetricsUrl { get; }
        public TestClock Clock { get; } = new();

        /// <summary>The client key (<see cref="ClientKeys"/>: its limits' idea of the client) of each request to the public port.</summary>
        public IReadOnlyCollection<string> PublicClientKeys => [.. _clients];

        /// <summary>The client key of a direct peer at <paramref name="address"/>, no forwarding header.</summary>
        public string ClientKeyOf(string address)
        {
            var context = new DefaultHttpContext();
            context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            return _factory.Services.GetRequiredService<ClientKeys>().For(context);
        }

        /// <summary>How far to move the clock to be ten minutes into an hour: a test then has 50 minutes before it turns.</summary>
        public TimeSpan ToTenPastTheNextHour()
        {
            var now = Clock.GetUtcNow();
            var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
            return hour.AddHours(1).AddMinutes(10) - now;
        }

        /// <summary>A browser behind the trusted proxy: its connections come from <see cref="ProxyAddress"/>.</summary>
        public HttpClient PublicClient()
        {
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = true,
                CookieContainer = new CookieContainer(),
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(IPAddress.Parse(ProxyAddress), 0));
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(PublicUrl) };
        }

        public async Task<string> ScrapeAsync()
        {
            using var client = new HttpClient { BaseAddress = new Uri(MetricsUrl) };
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        /// <summary>Scrapes until <paramref name="pattern"/> matches: the queue gauge counts in the background after a scrape asks for it.</summary>
        public async Task<string> ScrapeUntilAsync(string pattern)
        {
            var scrape = await ScrapeAsync();
            for (var i = 0; i < 50 && !System.Text.RegularExpressions.Regex.IsMatch(scrape, pattern); i++)
            {
                await Task.Delay(100);
                scrape = await ScrapeAsync();
            }

            Assert.Matches(pattern, scrape);
            return scrape;
        }

        public void Dispose() => _factory.Dispose();

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    /// <summary>Notes the client key the app's limits give each request to the public port.</summary>
    private sealed class ClientProbe(int publicPort, System.Collections.Concurrent.ConcurrentBag<string> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (context.Connection.LocalPort == publicPort)
                {
                    seen.Add(context.RequestServices.GetRequiredService<ClientKeys>().For(context));
                }

                await inner(context);
            });
            next(app);
        };
    }
}

[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsTestsRunAlone;
