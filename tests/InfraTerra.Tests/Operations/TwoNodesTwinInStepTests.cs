using InfraTerra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InfraTerra.Tests.Operations;

/// <summary>
/// tools/twin-cluster.sh stands in for docker-compose.yml in the two-node test and bench, so it must
/// give the nodes what compose gives them: every setting of an app service and every secret, under
/// the same names (the engine's own connection string aside: the twin runs PostgreSQL).
/// </summary>
public sealed class TwoNodesTwinInStepTests
{
    private static string Root => RealParts.RepositoryRoot() ?? throw new InvalidOperationException("No InfraTerra.sln above the tests.");

    [Fact]
    public void TheTwinScript_GivesItsNodesEverySettingAndSecretComposeGivesTheApp()
    {
        var compose = ComposeFile.Load(Path.Combine(Root, "docker-compose.yml"));
        var script = File.ReadAllText(Path.Combine(Root, "tools", "twin-cluster.sh"));
        List<string> services = compose.At("services") is YamlMappingNode mapping ? [.. mapping.Children.Keys.Select(ComposeFile.Text)] : [];
        var apps = services.Where(s => compose.Environment(s).ContainsKey("Database__Provider")).ToList();
        Assert.NotEmpty(apps);

        var names = apps.SelectMany(a => compose.Environment(a).Keys.Concat(compose.Secrets(a).Keys))
            .Select(n => n.Replace("SqlServer", "Postgres", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("SecretsFolder", names);
        var missing = names.Where(n => !script.Contains(n, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "tools/twin-cluster.sh does not set " + string.Join(", ", missing) + ", which docker-compose.yml gives the app.");
    }

    [Fact]
    public void TheTwinScript_MigratesOnceBeforeItStartsANode_AndRunsTheRepositorysCaddyfile()
    {
        var script = File.ReadAllText(Path.Combine(Root, "tools", "twin-cluster.sh"));
        var migrate = script.IndexOf("run_command migrate", StringComparison.Ordinal);
        var firstNode = script.IndexOf("start_node node1", StringComparison.Ordinal);
        Assert.InRange(migrate, 0, firstNode);
        Assert.Contains("\"$REPO/Caddyfile\"", script, StringComparison.Ordinal);
    }
}
