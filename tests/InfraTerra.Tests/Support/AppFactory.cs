using InfraTerra.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace InfraTerra.Tests.Support;

/// <summary>
/// The real app on a real SQLite file in its own temporary data folder. Log events are
/// captured so tests can prove what is (not) written to logs.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    static AppFactory()
    {
        // A test app never reloads its configuration; each reload watcher would hold one of the few
        // inotify instances a user has, and a run starts dozens of apps.
        System.Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");

        // The same for the file watchers of static files and appended versions: polling holds none.
        // Without it a run of a hundred apps (or two runs at once) met the limit of 128.
        System.Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "1");
    }

    public AppFactory(Dictionary<string, string?>? settings = null, string environment = "Testing")
    {
        DataFolder = Path.Combine(Path.GetTempPath(), "infraterra-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataFolder);
        Environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["DataFolder"] = DataFolder,
            ["Serilog:MinimumLevel:Default"] = "Debug",

            // Every test client shares one address; tests of the limit itself set it low.
            ["RateLimits:TipSubmissionsPerHour"] = "100000",
            ["RateLimits:TipSubmissionsPerHourWithoutScript"] = "100000",
            ["RateLimits:FollowUpRepliesPerHour"] = "100000",
            ["RateLimits:QuestionTipsPerHourGlobal"] = "100000",
            ["Captcha:MinimumFillSeconds"] = "0",

            // Tests that set scores by hand must not see the start-up refresh rewrite them; the job's tests run it directly.
            ["Jobs:ScoreRefreshEnabled"] = "false",

            // Nor a retention run at start-up delete tips that tests set up in the past; its tests run it directly.
            ["Jobs:RetentionEnabled"] = "false",

            // Nor the closed-notice sweep close tips that tests put on arrested notices; its test runs it directly.
            ["Jobs:ClosedNoticeSweepEnabled"] = "false",

            // Nor the deadline reminders add notifications, nor the claims prune write, behind a test's back; their tests run them directly.
            ["Jobs:DeadlineRemindersEnabled"] = "false",
            ["Jobs:ClaimsPruneEnabled"] = "false",
        };
        if (environment != "Production")
        {
            // The environment name relaxes nothing by itself: a test run asks for each shortcut by name.
            _settings["Dev:GenerateTipKeys"] = "true";
            _settings["Dev:UnencryptedKeyRing"] = "true";
            _settings["Dev:InsecureCookies"] = "true";
        }

        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public string DataFolder { get; }
    public string Environment { get; }
    public LogCapture Logs { get; } = new();

    /// <summary>Set before the app starts, e.g. to add a database command counter.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }
    public string DatabaseFile => Path.Combine(DataFolder, "infraterra.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            ExtraServices?.Invoke(services);
        });
    }

    /// <summary>Runs the app on a real Kestrel port (for a browser) and returns its base address.</summary>
    public string StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    public T Scoped<T>(Func<AppDbContext, T> query)
    {
        using var scope = Services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task<T> ScopedAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>
    /// For tests that share one app: removes every tip (notices stay as seeded) and clears the
    /// in-memory per-client counters (follow-up guard, sign-in guard) a test before may have left.
    /// </summary>
    public async Task ForgetTipsAsync()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.TipAttachments.ExecuteDeleteAsync();
            await db.TipMessages.ExecuteDeleteAsync();
            await db.Tips.ExecuteDeleteAsync();
        }

        (Services.GetRequiredService<IMemoryCache>() as MemoryCache)?.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left for the OS temp cleaner.
            }
        }
    }
}

/// <summary>One app shared by a test class (xunit class fixtures need a single parameterless constructor).</summary>
public sealed class SharedApp : AppFactory;
