using Microsoft.Playwright;

namespace InfraTerra.Tests.Support;

/// <summary>
/// One app on a real Kestrel port and one headless Chromium, shared by a test class. Started by
/// the first test that asks (after its <see cref="RealParts"/> checks), so a missing part skips
/// or fails that test rather than the fixture.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AppFactory? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The app behind <see cref="BaseUrl"/>, once started: for operator commands and database checks.</summary>
    public AppFactory App => _app ?? throw new InvalidOperationException("Call StartAsync first.");

    public async Task<IBrowser> StartAsync(string chromium)
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                _app = new AppFactory();
                BaseUrl = _app.StartKestrel();
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
            }

            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _app?.Dispose();
        _gate.Dispose();
    }
}
