using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace InfraTerra.Tests.Support;

/// <summary>
/// A PostgreSQL server of the test's own (initdb into a temporary folder, on a free port), for tests
/// that stop the server mid-run: the shared server of <see cref="RealParts.RequirePostgres"/> must stay up.
/// Skips on a laptop without the PostgreSQL binaries; fails under CI=true.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private bool _running;

    private ThrowawayPostgres(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=3";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            if (RealParts.InCi)
            {
                throw new InvalidOperationException("CI=true but no PostgreSQL binaries under /usr/lib/postgresql: .ci/run must install them.");
            }

            Skip.If(true, "No PostgreSQL binaries under /usr/lib/postgresql (apt-get install -y postgresql).");
        }

        var folder = Path.Combine(Path.GetTempPath(), "infraterra-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (Environment.UserName == "root")
        {
            // initdb refuses to run as root: the cluster belongs to the postgres account, as in .ci/run.
            await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false);
        }

        var server = new ThrowawayPostgres(bin!, folder, FreePort());
        await server.PgAsync("initdb", ["-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
        await server.PgAsync("pg_ctl", [
            "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-t", "30",
            "-o", $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]);
        server._running = true;
        return server;
    }

    /// <summary>The way an operator or a crash takes it down: <c>pg_ctl stop -m fast</c>, connections cut.</summary>
    public async Task StopAsync()
    {
        if (_running)
        {
            _running = false;
            await PgAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop"]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }

    private Task PgAsync(string tool, IReadOnlyList<string> arguments) =>
        RunAsync(Path.Combine(_bin, tool), arguments, asPostgres: Environment.UserName == "root");

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
