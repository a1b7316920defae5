using System.Security.Cryptography;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// The proof-of-work widget is served from the app (wwwroot/lib/altcha), copied from the npm
/// release pinned in tests/a11y/package.json; these files must be that release, byte for byte.
/// </summary>
public sealed class VendoredWidgetTests
{
    [SkippableTheory]
    [InlineData("altcha/dist/external/altcha.min.js", "altcha.min.js")]
    [InlineData("altcha/dist/external/altcha.css", "altcha.css")]
    [InlineData("altcha/dist/workers/pbkdf2.js", "workers/pbkdf2.js")]
    [InlineData("altcha/dist/i18n/fr-fr.umd.cjs", "i18n/fr-fr.js")]
    [InlineData("altcha/dist/i18n/es-es.umd.cjs", "i18n/es-es.js")]
    [InlineData("altcha/dist/i18n/ar.umd.cjs", "i18n/ar.js")]
    [InlineData("altcha/LICENSE.txt", "LICENSE.txt")]
    public void VendoredFile_IsThePinnedNpmRelease(string npmFile, string vendoredFile)
    {
        var released = RealParts.RequireNpmFile(npmFile);
        var vendored = Path.Combine(RealParts.RepositoryRoot()!, "src", "InfraTerra.Web", "wwwroot", "lib", "altcha", vendoredFile);

        Assert.Equal(SHA256.HashData(File.ReadAllBytes(released)), SHA256.HashData(File.ReadAllBytes(vendored)));
    }

    [Fact]
    public async Task WidgetFiles_AreServedByTheAppItself()
    {
        using var factory = new AppFactory();
        var client = factory.CreateClient();

        foreach (var path in new[] { "/lib/altcha/altcha.min.js", "/lib/altcha/workers/pbkdf2.js", "/lib/altcha/altcha.css", "/js/tip-check.js" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, path);
        }

        var form = await (await client.GetAsync("/tips/new")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("https://", form, StringComparison.Ordinal);
        Assert.Contains("src=\"/lib/altcha/altcha.min.js", form, StringComparison.Ordinal);
    }
}
