using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace InfraTerra.Tests.Support;

/// <summary>
/// The production topology's twin (tools/twin-cluster.sh): two app nodes in Production on one fresh
/// PostgreSQL database and the Redis server of <see cref="RealParts.RequireRedis"/> (under a key prefix
/// of their own), migrated once, Caddy in front. Started once by the first test that asks, stopped
/// with the fixture; the database is dropped.
/// </summary>
public sealed class TwinCluster : IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private string? _stateDir;
    private string? _server;
    private string? _database;
    private Dictionary<string, string> _values = [];
    private Exception? _failure;

    /// <summary>Settings the nodes get on top of the twin's own (the script's EXTRA_SETTINGS).</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Captcha:Provider"] = "Question",
        ["Captcha:MinimumFillSeconds"] = "0",
        ["Jobs:PollSeconds"] = "1",
        // Daily jobs due in the hour the test runs.
        ["Jobs:ScoreRefreshHour"] = DateTime.UtcNow.Hour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Jobs:RetentionHour"] = DateTime.UtcNow.Hour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Each test's tipsters come from addresses of its own (X-Forwarded-For from loopback, the trusted proxy's address).
        ["RateLimits:TipSubmissionsPerHour"] = TipsPerClientPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:TipSubmissionsPerHourWithoutScript"] = TipsPerClientPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:QuestionTipsPerHourGlobal"] = "100000",
        ["RateLimits:FollowUpRepliesPerHour"] = "100000",
    };

    public const int TipsPerClientPerHour = 3;

    public Uri Node1 => new(Value("NODE1_URL"));
    public Uri Node2 => new(Value("NODE2_URL"));
    /// <summary>Each node's Prometheus endpoint, on the loopback, answering only <see cref="OperatorAddress"/>.</summary>
    public Uri Node1Metrics => new(Value("NODE1_METRICS_URL"));
    public Uri Node2Metrics => new(Value("NODE2_METRICS_URL"));

    /// <summary>The twin's operator network, one loopback address that is not the proxy's.</summary>
    public IPAddress OperatorAddress => IPAddress.Parse(Value("OPERATOR_ADDRESS"));

    /// <summary>A client whose connections come from <see cref="OperatorAddress"/>, as an operator's Prometheus.</summary>
    public HttpClient OperatorClient()
    {
        var from = OperatorAddress;
        return new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { Timeout = TimeSpan.FromSeconds(10) };
    }
    public int Node1Pid => int.Parse(Value("NODE1_PID"), System.Globalization.CultureInfo.InvariantCulture);
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;
    public string StateDir => _stateDir ?? throw new InvalidOperationException("Not started.");

    private string Value(string name) => _values.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"cluster.env has no {name}.");

    /// <summary>Starts the twin the first time (the real parts checked first: a skip on a laptop, a failure in CI).</summary>
    public async Task StartAsync()
    {
        var server = RealParts.RequirePostgres();
        var redis = RealParts.RequireRedis();
        RealParts.RequireCaddy();
        await _starting.WaitAsync();
        try
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("The twin did not start (see the first test's failure).", _failure);
            }

            if (_stateDir is not null)
            {
                return;
            }

            try
            {
                await StartOnceAsync(server, redis);
            }
            catch (Exception e)
            {
                _failure = e;
                throw;
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task StartOnceAsync(string server, string redis)
    {
        _server = server;
        _database = "infraterra_twin_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        _stateDir = Directory.CreateTempSubdirectory("infraterra-twin-").FullName;
        var (exit, output) = await ScriptAsync("start", new()
        {
            ["POSTGRES"] = ConnectionString,
            ["REDIS"] = redis,
            ["REDIS_INSTANCE_NAME"] = $"twin-{Guid.NewGuid():N}:",
            ["APP_DLL"] = Path.Combine(AppContext.BaseDirectory, "InfraTerra.Web.dll"),
            ["CONTENT_ROOT"] = Path.Combine(Root, "src", "InfraTerra.Web"),
            ["EXTRA_SETTINGS"] = string.Join('\n', Settings.Select(s => $"{s.Key}={s.Value}")),
        });
        Assert.True(exit == 0, "tools/twin-cluster.sh start failed:\n" + output);
        ReadClusterEnv();
    }

    private void ReadClusterEnv() =>
        _values = File.ReadAllLines(Path.Combine(StateDir, "cluster.env"))
            .Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim('\''));

    /// <summary>An operator command run with the nodes' settings (the script's <c>command</c>); returns what it printed.</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        var (exit, output) = await ScriptAsync("command " + string.Join(' ', arguments), []);
        Assert.True(exit == 0, output);
        return output;
    }

    /// <summary>Starts the node again on its port (the script's <c>restart</c>), after a test killed it.</summary>
    public async Task RestartAsync(string node)
    {
        var (exit, output) = await ScriptAsync("restart " + node, []);
        Assert.True(exit == 0, output);
        ReadClusterEnv();
    }

    /// <summary>The Tips:LookupKey the script wrote as a file, to find a receipt's row.</summary>
    public byte[] LookupKey => Convert.FromBase64String(File.ReadAllText(Path.Combine(StateDir, "secrets", "Tips__LookupKey")).Trim());

    /// <summary>Whether a tip with this receipt code is stored (the app's lookup hash, restated as bench/TipLoad does).</summary>
    public async Task<bool> TipStoredAsync(string receipt)
    {
        var hash = HMACSHA256.HashData(LookupKey, Encoding.ASCII.GetBytes(receipt.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant()));
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT COUNT(*) FROM "Tips" WHERE "ReceiptLookupHash" = @hash""", db);
        command.Parameters.AddWithValue("hash", hash);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    public async Task<T> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        await using var reader = await command.ExecuteReaderAsync();
        return read(reader);
    }

    private static string Root => RealParts.RepositoryRoot() ?? throw new InvalidOperationException("No InfraTerra.sln above the tests.");

    private async Task<(int Exit, string Output)> ScriptAsync(string arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        start.ArgumentList.Add(Path.Combine(Root, "tools", "twin-cluster.sh"));
        foreach (var argument in arguments.Split(' '))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["STATE_DIR"] = StateDir;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stateDir is not null)
        {
            var (exit, output) = await ScriptAsync("stop", []);
            if (exit == 0)
            {
                try
                {
                    Directory.Delete(_stateDir, recursive: true);
                }
                catch (IOException)
                {
                    // Left for the OS temp cleaner.
                }
            }
            else
            {
                Console.Error.WriteLine(output);
            }
        }

        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        _starting.Dispose();
    }
}

/// <summary>
/// A browser reaching the nodes as the proxy does: plain http on loopback, saying X-Forwarded-Proto
/// https and, as the trusted proxy would, the visitor's address (each test's tipsters their own). It
/// keeps its cookies across both nodes, as one browser behind one site name does, and so sends the
/// https-only cookies a real browser would send over https.
/// </summary>
public sealed class TwinBrowser : IDisposable
{
    private readonly Jar _jar;

    public TwinBrowser(TwinCluster twin, string visitorAddress)
    {
        _jar = new Jar(visitorAddress) { InnerHandler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false } };
        Node1 = new HttpClient(_jar, disposeHandler: false) { BaseAddress = twin.Node1, Timeout = TimeSpan.FromSeconds(20) };
        Node2 = new HttpClient(_jar, disposeHandler: false) { BaseAddress = twin.Node2, Timeout = TimeSpan.FromSeconds(20) };
    }

    public HttpClient Node1 { get; }
    public HttpClient Node2 { get; }

    public void Dispose()
    {
        Node1.Dispose();
        Node2.Dispose();
        _jar.Dispose();
    }

    private sealed class Jar(string visitorAddress) : DelegatingHandler
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", visitorAddress);
            lock (_cookies)
            {
                if (_cookies.Count > 0)
                {
                    request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
                }
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                lock (_cookies)
                {
                    foreach (var setCookie in setCookies)
                    {
                        var pair = setCookie.Split(';')[0];
                        var name = pair[..pair.IndexOf('=', StringComparison.Ordinal)];
                        var value = pair[(name.Length + 1)..];
                        var expired = setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                        if (value.Length == 0 || expired)
                        {
                            _cookies.Remove(name);
                        }
                        else
                        {
                            _cookies[name] = value;
                        }
                    }
                }
            }

            return response;
        }
    }
}

/// <summary>Tip forms over two nodes: opened on one, sent to the other.</summary>
public static class TwinTips
{
    /// <summary>Opens /tips/new with <paramref name="open"/> and reads its fields, the question answered.</summary>
    public static async Task<Dictionary<string, string>> OpenAsync(HttpClient open, string description)
    {
        var page = await open.GetAsync(new Uri("/tips/new", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await Html.ParseAsync(page);
        var fields = Html.FormFields(document);
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(document);
        fields["Input.Description"] = description;
        return fields;
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient send, Dictionary<string, string> fields) =>
        send.PostAsync(new Uri("/tips/new", UriKind.Relative), new FormUrlEncodedContent(fields));

    /// <summary>Opens the form on one node, sends it to another, reads the receipt (on the sending node).</summary>
    public static async Task<string> SubmitAsync(HttpClient open, HttpClient send, string description)
    {
        var fields = await OpenAsync(open, description);
        return await TipForms.ReceiptAsync(send, await SendAsync(send, fields));
    }
}
