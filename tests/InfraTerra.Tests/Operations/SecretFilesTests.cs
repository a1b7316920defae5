using InfraTerra.Web.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace InfraTerra.Tests.Operations;

public sealed class SecretFilesTests
{
    [Fact]
    public void EachFile_SetsTheSettingItNames_WithoutTheFinalNewline_OverridingOtherSources()
    {
        var folder = Directory.CreateTempSubdirectory("infraterra-secrets-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "Tips__MasterKey"), "from-the-file\n");
            File.WriteAllBytes(Path.Combine(folder, "dataprotection.pfx"), [0x30, 0x82, 0x00, 0xff]);
            var configuration = new ConfigurationManager();
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SecretsFolder"] = folder,
                ["Tips:MasterKey"] = "from-the-environment",
            });

            configuration.AddSecretFiles();

            Assert.Equal("from-the-file", configuration["Tips:MasterKey"]);
            Assert.Null(configuration["dataprotection.pfx"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ASecretsFolderThatDoesNotExist_RefusesToStart()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["SecretsFolder"] = "/nonexistent/infraterra-secrets" });

        var error = Assert.Throws<InvalidOperationException>(() => configuration.AddSecretFiles());

        Assert.Contains("SecretsFolder", error.Message, StringComparison.Ordinal);
    }
}
