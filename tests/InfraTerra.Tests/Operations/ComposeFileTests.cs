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
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src/InfraTerra.Web/appsettings.json")));

        var keys = AppSetting().Matches(compose).Select(m => m.Groups[1].Value).Distinct().ToList();

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

    [GeneratedRegex(@"^\s+([A-Za-z]+__[A-Za-z_]+):", RegexOptions.Multiline)]
    private static partial Regex AppSetting();
}
