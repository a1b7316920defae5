using System.Text.Json;
using System.Text.RegularExpressions;

namespace InfraTerra.Tests.Operations;

/// <summary>docker-compose.yml cannot run here; these keep it consistent with what the app reads.</summary>
public sealed partial class ComposeFileTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void EveryVariableTheComposeFileUses_IsInEnvExample()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        var example = File.ReadAllLines(Path.Combine(Root, ".env.example"))
            .Where(l => !l.StartsWith('#') && l.Contains('='))
            .Select(l => l[..l.IndexOf('=')])
            .ToHashSet();

        var used = Interpolation().Matches(compose).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(used);
        Assert.Equal(used.Order(), example.Order());
    }

    private static readonly string[] Nodes = ["app1", "app2"];

    [Fact]
    public void EverySettingTheComposeFileGivesTheApp_IsAKeyTheAppReads()
    {
        var compose = Compose();
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src/InfraTerra.Web/appsettings.json")));

        foreach (var node in Nodes.Append("migrate"))
        {
            var keys = compose.Environment(node).Keys
                .Concat(compose.Secrets(node).Keys.Where(k => !k.Contains('.', StringComparison.Ordinal)))
                .Distinct().ToList();

            Assert.Contains("Tips__MasterKey", keys);
            foreach (var key in keys)
            {
                var element = settings.RootElement;
                foreach (var part in key.Split("__"))
                {
                    Assert.True(element.TryGetProperty(part, out element), $"{key} ({node}) is not in appsettings.json");
                }
            }
        }
    }

    [Fact]
    public void TwoNodes_RunTheSameImageWithTheSameSecretsAndSettings_UnderTheirOwnNames()
    {
        var compose = Compose();
        var first = compose.Service("app1");
        var second = compose.Service("app2");

        Assert.Equal(ComposeFile.Text(ComposeFile.Node(first, "image")!), ComposeFile.Text(ComposeFile.Node(second, "image")!));
        Assert.Equal(compose.Secrets("app1"), compose.Secrets("app2"));
        Assert.Equal("app1", compose.Environment("app1")["Node__Name"]);
        Assert.Equal("app2", compose.Environment("app2")["Node__Name"]);
        Assert.Equal(
            compose.Environment("app1").Where(e => e.Key != "Node__Name").OrderBy(e => e.Key),
            compose.Environment("app2").Where(e => e.Key != "Node__Name").OrderBy(e => e.Key));
        Assert.DoesNotContain("app", compose.Services);
        Assert.Equal("SqlServer", compose.Environment("app1")["Database__Provider"]);
    }

    [Fact]
    public void Migrate_RunsOnceAndCompletes_BeforeEitherNodeStarts()
    {
        var compose = Compose();

        Assert.Equal(["migrate"], compose.List("migrate", "command"));
        Assert.Equal("no", ComposeFile.Text(ComposeFile.Node(compose.Service("migrate"), "restart")!));
        Assert.Equal("service_healthy", ComposeFile.Text(compose.At("services", "migrate", "depends_on", "sqlserver", "condition")!));
        foreach (var node in Nodes)
        {
            var dependsOn = ComposeFile.Node(compose.Service(node), "depends_on");
            Assert.Equal("service_completed_successfully", ComposeFile.Text(ComposeFile.Node(ComposeFile.Node(dependsOn, "migrate"), "condition")!));
            Assert.Equal("service_healthy", ComposeFile.Text(ComposeFile.Node(ComposeFile.Node(dependsOn, "sqlserver"), "condition")!));
            Assert.Equal("service_healthy", ComposeFile.Text(ComposeFile.Node(ComposeFile.Node(dependsOn, "redis"), "condition")!));
        }
    }

    [Fact]
    public void Redis_KeepsNothingOnDisk_TakesItsPasswordFromAFile_AndOnlyTheNodesReachIt()
    {
        var compose = Compose();
        var command = string.Join(" ", compose.List("redis", "command"));

        Assert.Contains("--save ''", command, StringComparison.Ordinal);
        Assert.Contains("--appendonly no", command, StringComparison.Ordinal);
        Assert.Contains("requirepass $$(cat /run/secrets/redis_password)", command, StringComparison.Ordinal);
        Assert.Null(ComposeFile.Node(compose.Service("redis"), "volumes"));
        Assert.Empty(compose.List("redis", "ports"));
        Assert.Empty(compose.Environment("redis"));
        Assert.Contains("redis_password", compose.Secrets("redis").Keys);
        Assert.Equal(["backend"], compose.List("redis", "networks"));
        Assert.DoesNotContain("backend", compose.List("proxy", "networks"));
        Assert.NotNull(ComposeFile.Node(compose.Service("redis"), "healthcheck"));
        foreach (var node in Nodes)
        {
            Assert.Equal("./secrets/redis-connection", compose.Secrets(node)["ConnectionStrings__Redis"]);
            Assert.Contains("backend", compose.List(node, "networks"));
        }
    }

    [Fact]
    public void App_GetsEverySecretAsAFile_NoneInItsEnvironment()
    {
        var compose = Compose();
        foreach (var node in Nodes.Append("migrate"))
        {
            var environment = compose.Environment(node);
            var secrets = compose.Secrets(node);

            string[] secretSettings = ["ConnectionStrings__SqlServer", "ConnectionStrings__Redis", "Tips__MasterKey", "Tips__LookupKey", "Audit__Key", "DataProtection__CertificatePassword"];
            foreach (var setting in secretSettings)
            {
                Assert.True(secrets.ContainsKey(setting), $"{setting} is not a secret file of {node}");
                Assert.False(environment.ContainsKey(setting), $"{setting} is in {node}'s environment");
            }

            Assert.Equal("/run/secrets", environment["SecretsFolder"]);
            Assert.Equal("/run/secrets/dataprotection.pfx", environment["DataProtection__CertificatePath"]);
            Assert.True(secrets.ContainsKey("dataprotection.pfx"));
            Assert.All(environment.Values, v => Assert.DoesNotContain("Password=", v, StringComparison.OrdinalIgnoreCase));
            Assert.All(secrets.Values, file => Assert.StartsWith("./secrets/", file, StringComparison.Ordinal));
        }

        foreach (var service in compose.Services)
        {
            Assert.All(compose.Environment(service).Keys, k => Assert.DoesNotContain("PASSWORD", k, StringComparison.OrdinalIgnoreCase));
            Assert.All(compose.Environment(service).Keys, k => Assert.DoesNotContain("KEY", k.Replace("MasterKeyId", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        }

        Assert.Contains("mssql_sa_password", compose.Secrets("sqlserver").Keys);

        // Every secret file is in the git-ignored secrets/ folder.
        Assert.Contains("secrets/", File.ReadAllLines(Path.Combine(Root, ".gitignore")));
        Assert.All(compose.Secrets("sqlserver").Values.Concat(compose.Secrets("redis").Values), file => Assert.StartsWith("./secrets/", file, StringComparison.Ordinal));
    }

    [Fact]
    public void App_TrustsForwardedHeadersFromTheProxysAddressOnTheEdgeNetwork()
    {
        var compose = Compose();
        var proxyAddress = ComposeFile.Text(compose.At("services", "proxy", "networks", "edge", "ipv4_address")!);
        var subnet = Subnet(compose, "edge");

        Assert.True(subnet.Contains(System.Net.IPAddress.Parse(proxyAddress)), $"{proxyAddress} is outside {subnet}");
        foreach (var node in Nodes)
        {
            var environment = compose.Environment(node);
            Assert.Equal("true", environment["Proxy__ForwardedProto"]);
            Assert.Equal(proxyAddress, environment["Proxy__TrustedProxies"]);
            Assert.Contains("edge", compose.List(node, "networks"));
            Assert.StartsWith("https://${SITE_HOST", environment["Site__PublicBaseUrl"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void App_PublishesItsPortOnLoopbackOnly_TheProxyTakesThePublic()
    {
        var compose = Compose();

        foreach (var node in Nodes)
        {
            Assert.NotEmpty(compose.List(node, "ports"));
            Assert.All(compose.List(node, "ports"), p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
        }

        Assert.Empty(compose.List("sqlserver", "ports"));
        Assert.Empty(compose.List("migrate", "ports"));
        Assert.Contains("443:443", compose.List("proxy", "ports"));
        Assert.DoesNotContain("edge", compose.List("sqlserver", "networks"));
    }

    [Fact]
    public void Metrics_AreServedOnTheirOwnPort_OnlyToTheOperatorNetwork_PublishedNowhere()
    {
        var compose = Compose();
        var operatorSubnet = Subnet(compose, "operator");
        var port = compose.Environment("app1")["Metrics__Port"];

        Assert.Equal("true", ComposeFile.Text(compose.At("networks", "operator", "internal")!));
        foreach (var node in Nodes)
        {
            Assert.Equal(operatorSubnet.ToString(), compose.Environment(node)["Metrics__AllowedNetworks"]);
            Assert.Contains("operator", compose.List(node, "networks"));
        }

        foreach (var service in compose.Services)
        {
            Assert.All(compose.List(service, "ports"), p => Assert.DoesNotContain(port, p, StringComparison.Ordinal));
            if (service is not ("app1" or "app2"))
            {
                Assert.DoesNotContain("operator", compose.List(service, "networks"));
                Assert.Null(ComposeFile.Node(ComposeFile.Node(compose.Service(service), "networks"), "operator"));
            }
        }

        // The proxy's address is not in the operator network, so nothing that comes through it is answered.
        var proxyAddress = System.Net.IPAddress.Parse(ComposeFile.Text(compose.At("services", "proxy", "networks", "edge", "ipv4_address")!));
        Assert.False(operatorSubnet.Contains(proxyAddress));
    }

    [Fact]
    public void Proxy_RunsTheRepositorysCaddyfile_AgainstBothNodesOnThePortTheImageListensOn()
    {
        var compose = Compose();
        var dockerfile = File.ReadAllText(Path.Combine(Root, "src/Dockerfile"));
        var port = HttpPorts().Match(dockerfile).Groups[1].Value;

        Assert.Contains("./Caddyfile:/etc/caddy/Caddyfile:ro", compose.List("proxy", "volumes"));
        Assert.Equal($"app1:{port} app2:{port}", compose.Environment("proxy")["INFRATERRA_UPSTREAM"]);
        Assert.Equal("https://${SITE_HOST:?set SITE_HOST in .env}", compose.Environment("proxy")["INFRATERRA_SITE"]);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", dockerfile, StringComparison.Ordinal);
        Assert.All(Nodes, node => Assert.Contains(node, compose.List("proxy", "depends_on")));
    }

    [Fact]
    public void Caddyfile_BalancesTheNodes_AndLeavesOutOneThatStopsAnswering()
    {
        var site = CaddyLines().Select(l => l.Trim()).SkipWhile(l => !l.StartsWith("{$INFRATERRA_SITE}", StringComparison.Ordinal)).ToList();

        Assert.Contains("reverse_proxy {$INFRATERRA_UPSTREAM} {", site);
        Assert.Contains(site, l => l.StartsWith("lb_policy ", StringComparison.Ordinal));
        Assert.Contains("health_uri /health/live", site);
        Assert.Contains(site, l => l.StartsWith("fail_duration ", StringComparison.Ordinal));
    }

    [Fact]
    public void Caddyfile_WritesNoAccessLogAndNoErrorLog()
    {
        var lines = CaddyLines();
        var globalEnd = lines.IndexOf("}");
        var global = lines.Take(globalEnd).Select(l => l.Trim()).ToList();
        var sites = lines.Skip(globalEnd + 1).Select(l => l.Trim().Split(' ')[0]);

        Assert.Equal("{", global[0]);
        // The error log records the client's address and user agent of every failed request.
        Assert.Contains("exclude http.log.error", global);
        // Caddy writes an access log only for a site with a `log` directive.
        Assert.DoesNotContain("log", sites);
        Assert.DoesNotContain(sites, s => s is "skip_log" or "log_skip");
    }

    private static List<string> CaddyLines() => File.ReadAllLines(Path.Combine(Root, "Caddyfile"))
        .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
        .Select(l => l.TrimEnd())
        .ToList();

    private static System.Net.IPNetwork Subnet(ComposeFile compose, string network) =>
        System.Net.IPNetwork.Parse(ComposeFile.Text(ComposeFile.Node(((YamlDotNet.RepresentationModel.YamlSequenceNode)compose.At("networks", network, "ipam", "config")!)[0], "subnet")!));

    private static ComposeFile Compose() => ComposeFile.Load(Path.Combine(Root, "docker-compose.yml"));

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "InfraTerra.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"ASPNETCORE_HTTP_PORTS=(\d+)")]
    private static partial Regex HttpPorts();
}
