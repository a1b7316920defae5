namespace InfraTerra.Tests.Infrastructure;

/// <summary>
/// Real-part checks: on a laptop without Chromium or PostgreSQL these tests skip; in CI
/// (CI=true) a missing part is a failure, never a silent skip.
/// </summary>
public static class RealParts
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string RequireChromium()
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? ChromiumPath;
        if (File.Exists(path))
        {
            return path;
        }

        if (InCi)
        {
            throw new InvalidOperationException($"CI=true but Chromium is not at {path}: .ci/run must install it.");
        }

        Skip.If(true, $"Chromium is not installed at {path} (apt-get install -y chromium).");
        return path;
    }

    /// <summary>Connection string of a PostgreSQL server the tests may create databases on.</summary>
    public static string RequirePostgres()
    {
        var connection = Environment.GetEnvironmentVariable("INFRATERRA_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return connection;
        }

        if (InCi)
        {
            throw new InvalidOperationException("CI=true but INFRATERRA_TEST_POSTGRES is not set: .ci/run must start PostgreSQL.");
        }

        Skip.If(true, "No PostgreSQL server: set INFRATERRA_TEST_POSTGRES (bash .ci/run starts one).");
        return "";
    }
}
