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

    [Fact]
    public void EverySettingTheComposeFileGivesTheApp_IsAKeyTheAppReads()
    {
        var compose = Compose();
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src/InfraTerra.Web/appsettings.json")));

        var keys = compose.Environment("app").Keys
            .Concat(compose.Secrets("app").Keys.Where(k => !k.Contains('.', StringComparison.Ordinal)))
            .Distinct().ToList();

        Assert.Contains("Tips__MasterKey", keys);
        foreach (var key in keys)
        {
            var element = settings.RootElement;
            foreach (var part in key.Split("__"))
            {
                Assert.True(element.TryGetProperty(part, out element), $"{key} is not in appsettings.json");
            }
        }
    }

    [Fact]
    public void App_GetsEverySecretAsAFile_NoneInItsEnvironment()
    {
        var compose = Compose();
        var environment = compose.Environment("app");
        var secrets = compose.Secrets("app");

        string[] secretSettings = ["ConnectionStrings__SqlServer", "Tips__MasterKey", "Tips__LookupKey", "Audit__Key", "DataProtection__CertificatePassword"];
        foreach (var setting in secretSettings)
        {
            Assert.True(secrets.ContainsKey(setting), $"{setting} is not a secret file of the app");
            Assert.False(environment.ContainsKey(setting), $"{setting} is in the app's environment");
        }

        Assert.Equal("/run/secrets", environment["SecretsFolder"]);
        Assert.Equal("/run/secrets/dataprotection.pfx", environment["DataProtection__CertificatePath"]);
        Assert.True(secrets.ContainsKey("dataprotection.pfx"));
        Assert.All(environment.Values, v => Assert.DoesNotContain("Password=", v, StringComparison.OrdinalIgnoreCase));
        Assert.All(compose.Environment("sqlserver").Keys, k => Assert.DoesNotContain("PASSWORD", k, StringComparison.Ordinal));
        Assert.Contains("mssql_sa_password", compose.Secrets("sqlserver").Keys);

        // Every secret file is in the git-ignored secrets/ folder.
        Assert.Contains("secrets/", File.ReadAllLines(Path.Combine(Root, ".gitignore")));
        Assert.All(secrets.Values.Concat(compose.Secrets("sqlserver").Values), file => Assert.StartsWith("./secrets/", file, StringComparison.Ordinal));
    }

    [Fact]
    public void App_TrustsForwardedHeadersFromTheProxysAddressOnTheEdgeNetwork()
    {
        var compose = Compose();
        var environment = compose.Environment("app");
        var proxyAddress = ComposeFile.Text(compose.At("services", "proxy", "networks", "edge", "ipv4_address")!);
        var subnet = ComposeFile.Text(ComposeFile.Node(((YamlDotNet.RepresentationModel.YamlSequenceNode)compose.At("networks", "edge", "ipam", "config")!)[0], "subnet")!);

        Assert.Equal("true", environment["Proxy__ForwardedProto"]);
        Assert.Equal(proxyAddress, environment["Proxy__TrustedProxies"]);
        Assert.True(System.Net.IPNetwork.Parse(subnet).Contains(System.Net.IPAddress.Parse(proxyAddress)), $"{proxyAddress} is outside {subnet}");
        Assert.Contains("edge", compose.List("app", "networks"));
        Assert.StartsWith("https://${SITE_HOST", environment["Site__PublicBaseUrl"], StringComparison.Ordinal);
    }

    [Fact]
    public void App_PublishesItsPortOnLoopbackOnly_TheProxyTakesThePublic()
    {
        var compose = Compose();

        Assert.All(compose.List("app", "ports"), p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
        Assert.Empty(compose.List("sqlserver", "ports"));
        Assert.Contains("443:443", compose.List("proxy", "ports"));
        Assert.DoesNotContain("edge", compose.List("sqlserver", "networks"));
    }

    [Fact]
    public void Proxy_RunsTheRepositorysCaddyfile_AgainstThePortTheImageListensOn()
    {
        var compose = Compose();
        var dockerfile = File.ReadAllText(Path.Combine(Root, "src/Dockerfile"));
        var port = HttpPorts().Match(dockerfile).Groups[1].Value;

        Assert.Contains("./Caddyfile:/etc/caddy/Caddyfile:ro", compose.List("proxy", "volumes"));
        Assert.Equal($"app:{port}", compose.Environment("proxy")["INFRATERRA_UPSTREAM"]);
        Assert.Equal("https://${SITE_HOST:?set SITE_HOST in .env}", compose.Environment("proxy")["INFRATERRA_SITE"]);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Caddyfile_WritesNoAccessLogAndNoErrorLog()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "Caddyfile"))
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .ToList();
        var globalEnd = lines.IndexOf("}");
        var global = lines.Take(globalEnd).Select(l => l.Trim()).ToList();
        var sites = lines.Skip(globalEnd + 1).Select(l => l.Trim().Split(' ')[0]);

        Assert.Equal("{", global[0]);
        // The error log records the client's address and user agent of every failed request.
        Assert.Contains("exclude http.log.error", global);
        // Caddy writes an access log only for a site with a `log` directive.
        Assert.DoesNotContain("log", sites);
    }

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
