using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace InfraTerra.Tests.Support;

/// <summary>
/// A real Caddy running a Caddyfile (the repository's) on a loopback port, with a
/// certificate from Caddy's own local authority for a public-looking host name. Its clients trust
/// that authority alone and reach the host name on loopback, so TLS and the Host header are real.
/// </summary>
public sealed class CaddyProxy : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _folder;
    private readonly int _port;

    private CaddyProxy(Process process, string folder, string host, int port)
    {
        _process = process;
        _folder = folder;
        Host = host;
        _port = port;
    }

    public string Host { get; }
    public string BaseUrl => $"https://{Host}:{_port}";

    /// <summary>
    /// Starts Caddy on <paramref name="siteFile"/>, which reads its site address and upstream from
    /// INFRATERRA_SITE (here https://<paramref name="host"/>:<paramref name="port"/>) and INFRATERRA_UPSTREAM (host:port).
    /// </summary>
    public static async Task<CaddyProxy> StartAsync(string caddy, string siteFile, string host, int port, string upstream)
    {
        var folder = Directory.CreateTempSubdirectory("infraterra-caddy-").FullName;
        var config = Path.Combine(folder, "Caddyfile");
        await File.WriteAllTextAsync(config, WithTestOptions(await File.ReadAllTextAsync(siteFile), Path.Combine(folder, "data")));

        var start = new ProcessStartInfo(caddy, ["run", "--config", config, "--adapter", "caddyfile"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.Environment["INFRATERRA_SITE"] = $"https://{host}:{port}";
        start.Environment["INFRATERRA_UPSTREAM"] = upstream;
        start.Environment["HOME"] = folder;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(folder, "config");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(folder, "xdg-data");

        var process = new Process { StartInfo = start };
        var proxy = new CaddyProxy(process, folder, host, port);
        process.OutputDataReceived += (_, e) => proxy.Record(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await proxy.WaitUntilServingAsync();
        return proxy;
    }

    /// <summary>A client that reaches <see cref="Host"/> on loopback and trusts only this Caddy's local authority.</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null)
    {
        var root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_folder, "data", "pki", "authorities", "local", "root.crt")));
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, _port, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, presented, errors) =>
                    certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && ChainsTo(root, X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), presented),
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    /// <summary>
    /// The site file with test-only options added to its global block: no admin endpoint, the local
    /// authority instead of ACME, nothing installed into the system's trust store, loopback only, no
    /// port-80 redirect server, and Caddy's state in the test's folder.
    /// </summary>
    private static string WithTestOptions(string siteFile, string storage)
    {
        var lines = siteFile.Split('\n').ToList();
        var global = lines.FindIndex(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        if (global < 0 || lines[global].Trim() != "{")
        {
            throw new InvalidOperationException("The Caddyfile must begin with a global options block.");
        }

        lines.InsertRange(global + 1,
        [
            "\tadmin off",
            "\tlocal_certs",
            "\tskip_install_trust",
            "\tdefault_bind 127.0.0.1",
            "\tauto_https disable_redirects",
            $"\tstorage file_system {storage}",
        ]);
        return string.Join('\n', lines);
    }

    private static bool ChainsTo(X509Certificate2 root, X509Certificate2 leaf, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Caddy exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var client = CreateClient();
                using var response = await client.GetAsync("/health/live");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                // Not listening yet, or its certificate is not issued yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Caddy did not serve {BaseUrl}/health/live within 15 s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
