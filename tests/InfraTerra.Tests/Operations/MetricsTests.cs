using System.Net;
using System.Net.Sockets;
using InfraTerra.Tests.Support;

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
        using var client = app.PublicClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", Address);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Agent);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/notices?q={QueryText}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/notices?q={QueryText}")).StatusCode);
        var (accepted, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = TipText);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var (refused, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);

        var scrape = await app.ScrapeAsync();
        // The queue gauge counts in the background after the first scrape asks for it.
        for (var i = 0; i < 50 && !scrape.Contains("infraterra_tips_queue{", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            scrape = await app.ScrapeAsync();
        }

        Assert.Matches(@"(?m)^infraterra_tips_accepted_total\{[^}]*\} 1$", scrape);
        Assert.Matches(@"(?m)^infraterra_tips_refused_total\{[^}]*reason=""invalid""[^}]*\} 1$", scrape);
        Assert.Matches(@"(?m)^infraterra_tips_queue\{[^}]*status=""New""[^}]*\} 1$", scrape);
        Assert.Matches(@"(?m)^infraterra_output_cache_lookups_total\{[^}]*result=""hit""[^}]*\} [1-9]", scrape);
        Assert.Matches(@"(?m)^infraterra_output_cache_lookups_total\{[^}]*result=""miss""[^}]*\} [1-9]", scrape);
        Assert.Matches(@"(?m)^http_server_request_duration_seconds_count\{[^}]*http_request_method=""GET""[^}]*http_route=""notices""[^}]*\} [1-9]", scrape);
        foreach (var secret in new[] { Address, Agent, "QuirkyBrowser", QueryText, "Quokkalighthouse", "Saw the man" })
        {
            Assert.DoesNotContain(secret, scrape, StringComparison.OrdinalIgnoreCase);
        }
    }

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

    /// <summary>The app on real Kestrel with its public port and a metrics port on loopback.</summary>
    private sealed class MetricsApp : IDisposable
    {
        private readonly AppFactory _factory;

        public MetricsApp(Dictionary<string, string?>? settings = null)
        {
            var publicPort = FreePort();
            var metricsPort = FreePort();
            var all = new Dictionary<string, string?>
            {
                ["urls"] = $"http://127.0.0.1:{publicPort}",
                ["Metrics:Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in settings ?? [])
            {
                all[key] = value;
            }

            _factory = new AppFactory(all);
            _factory.UseKestrel();
            _factory.StartServer();
            PublicUrl = $"http://127.0.0.1:{publicPort}";
            MetricsUrl = $"http://127.0.0.1:{metricsPort}";
        }

        public string PublicUrl { get; }
        public string MetricsUrl { get; }

        public HttpClient PublicClient() =>
            new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }, disposeHandler: true)
            {
                BaseAddress = new Uri(PublicUrl),
            };

        public async Task<string> ScrapeAsync()
        {
            using var client = new HttpClient { BaseAddress = new Uri(MetricsUrl) };
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        public void Dispose() => _factory.Dispose();

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsTestsRunAlone;
