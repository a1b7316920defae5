namespace InfraTerra.Tests.Support;

/// <summary>
/// Real-part checks: on a laptop without Chromium, axe-core or PostgreSQL these tests skip; in CI
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

    public const string CaddyPath = "/usr/bin/caddy";

    /// <summary>Caddy (Debian's <c>caddy</c> package) for the tests behind a real reverse proxy.</summary>
    public static string RequireCaddy()
    {
        var path = Environment.GetEnvironmentVariable("CADDY_PATH") ?? CaddyPath;
        if (File.Exists(path))
        {
            return path;
        }

        if (InCi)
        {
            throw new InvalidOperationException($"CI=true but Caddy is not at {path}: .ci/run must install it.");
        }

        Skip.If(true, $"Caddy is not installed at {path} (apt-get install -y caddy).");
        return path;
    }

    /// <summary>
    /// Path of axe-core's browser bundle, installed from tests/a11y/package.json by
    /// <c>npm ci --prefix tests/a11y</c>.
    /// </summary>
    public static string RequireAxe() => RequireNpmFile("axe-core/axe.min.js");

    /// <summary>A file of a package pinned in tests/a11y/package.json, installed by <c>npm ci --prefix tests/a11y</c>.</summary>
    public static string RequireNpmFile(string pathInNodeModules)
    {
        var root = RepositoryRoot();
        var path = root is null ? null : Path.Combine(root, "tests", "a11y", "node_modules", pathInNodeModules);
        if (path is not null && File.Exists(path))
        {
            return path;
        }

        var where = path ?? $"tests/a11y/node_modules/{pathInNodeModules} (no InfraTerra.sln above {AppContext.BaseDirectory})";
        if (InCi)
        {
            throw new InvalidOperationException($"CI=true but {where} is missing: .ci/run must run npm ci --prefix tests/a11y.");
        }

        Skip.If(true, $"{where} is missing (npm ci --prefix tests/a11y).");
        return where;
    }

    /// <summary>The folder holding InfraTerra.sln, found by walking up from the test binaries.</summary>
    public static string? RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "InfraTerra.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
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

    /// <summary>
    /// The Redis server <c>.ci/run</c> starts (INFRATERRA_TEST_REDIS, <c>host:port</c>). Each test
    /// takes keys under its own prefix or database, so tests can share the one server.
    /// </summary>
    public static string RequireRedis()
    {
        var connection = Environment.GetEnvironmentVariable("INFRATERRA_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return connection;
        }

        if (InCi)
        {
            throw new InvalidOperationException("CI=true but INFRATERRA_TEST_REDIS is not set: .ci/run must start redis-server.");
        }

        Skip.If(true, "No Redis server: set INFRATERRA_TEST_REDIS to host:port (bash .ci/run starts one).");
        return "";
    }
}
