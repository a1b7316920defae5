using Microsoft.Extensions.FileProviders;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// Secrets as files (Docker secrets, Kubernetes secret volumes): every file in <c>SecretsFolder</c>
/// whose name is a setting, with <c>__</c> for <c>:</c> (<c>Tips__MasterKey</c>), sets that
/// setting from its content, so keys never sit in the environment, where <c>docker inspect</c> and
/// every child process can read them. A file wins over the same setting given anywhere else.
/// </summary>
public static class SecretFiles
{
    public const string FolderKey = "SecretsFolder";

    public static ConfigurationManager AddSecretFiles(this ConfigurationManager configuration)
    {
        var folder = configuration[FolderKey];
        if (string.IsNullOrWhiteSpace(folder))
        {
            return configuration;
        }

        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"{FolderKey} names {folder}, which is not a folder.");
        }

        configuration.AddKeyPerFile(source =>
        {
            source.FileProvider = new PhysicalFileProvider(Path.GetFullPath(folder));
            source.Optional = false;
            // Setting names have no dot; a file with one (dataprotection.pfx, mounted beside) is not a setting.
            source.IgnoreCondition = name => name.Contains('.', StringComparison.Ordinal);
        });
        return configuration;
    }
}
