using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace InfraTerra.Tests.Support;

/// <summary>
/// The built app in a process of its own, on a real Kestrel port, with its temporary folders
/// (<c>TMPDIR</c>, <c>ASPNETCORE_TEMP</c>) and data folder inside <see cref="Root"/>. The temp
/// folders are process-wide settings, so only a separate process proves where the app writes.
/// </summary>
public sealed partial class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private AppProcess(Process process, string root)
    {
        _process = process;
        Root = root;
    }

    /// <summary>Everything the app may write to: temp folders and data folder.</summary>
    public string Root { get; }

    public string BaseUrl { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join("\n", _output);
            }
        }
    }

    public static async Task<AppProcess> StartAsync(Dictionary<string, string>? settings = null)
    {
        var webProject = Path.Combine(RealParts.RepositoryRoot() ?? throw new InvalidOperationException("No InfraTerra.sln above the tests."), "src", "InfraTerra.Web");
        var root = Path.Combine(Path.GetTempPath(), "infraterra-process-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = webProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "InfraTerra.Web.dll"));
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(webProject);

        var environment = new Dictionary<string, string>
        {
            ["TMPDIR"] = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName,
            ["ASPNETCORE_TEMP"] = Directory.CreateDirectory(Path.Combine(root, "aspnetcore-temp")).FullName,
            // No diagnostic pipes or sockets in TMPDIR: every file there is then a plain file to read.
            ["DOTNET_EnableDiagnostics"] = "0",
            // Inotify instances are few and shared by every process of the user: poll instead.
            ["DOTNET_USE_POLLING_FILE_WATCHER"] = "1",
            ["ASPNETCORE_hostBuilder__reloadConfigOnChange"] = "false",
            ["DOTNET_USE_POLLING_FILE_WATCHER"] = "1",
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["DataFolder"] = Directory.CreateDirectory(Path.Combine(root, "data")).FullName,
            ["Tips__MasterKeyId"] = "process-test",
            ["Tips__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Tips__LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Audit__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["DataProtection__CertificatePath"] = TestCertificate.Create(),
            // Plain HTTP on loopback: the test reads the form's cookies back.
            ["Dev__InsecureCookies"] = "true",
            ["Captcha__Provider"] = "Question",
            ["Captcha__MinimumFillSeconds"] = "0",
            ["RateLimits__TipSubmissionsPerHour"] = "100000",
            ["RateLimits__TipSubmissionsPerHourWithoutScript"] = "100000",
            ["RateLimits__FollowUpRepliesPerHour"] = "100000",
            ["RateLimits__QuestionTipsPerHourGlobal"] = "100000",
        };
        foreach (var (key, value) in settings ?? [])
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        var app = new AppProcess(process, root);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(object? sender, DataReceivedEventArgs line)
        {
            if (line.Data is null)
            {
                return;
            }

            lock (app._output)
            {
                app._output.Add(line.Data);
            }

            if (ListeningLine().Match(line.Data) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        }

        process.OutputDataReceived += Read;
        process.ErrorDataReceived += Read;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != listening.Task)
        {
            app.Dispose();
            throw new InvalidOperationException("The app did not start listening:\n" + app.Output);
        }

        app.BaseUrl = listening.Task.Result;
        return app;
    }

    /// <summary>Every file under <see cref="Root"/> whose bytes contain <paramref name="marker"/>.</summary>
    public IReadOnlyList<string> FilesContaining(string marker)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(marker);
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Deleted between listing and reading.
                continue;
            }

            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                found.Add(Path.GetRelativePath(Root, file));
            }
        }

        return found;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
