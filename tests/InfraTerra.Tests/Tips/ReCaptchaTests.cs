using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using InfraTerra.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

/// <summary>The reCAPTCHA provider against a local stand-in for Google's siteverify, on a real port.</summary>
public sealed class ReCaptchaTests : IAsyncLifetime
{
    private readonly string _secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private FakeSiteVerify _google = null!;

    public async Task InitializeAsync() => _google = await FakeSiteVerify.StartAsync();

    public async Task DisposeAsync() => await _google.DisposeAsync();

    private AppFactory NewApp(string? verifyUrl = null) => new(new()
    {
        ["Captcha:Provider"] = "ReCaptcha",
        ["Captcha:ReCaptcha:SiteKey"] = "site-key-for-tests",
        ["Captcha:ReCaptcha:SecretKey"] = _secret,
        ["Captcha:ReCaptcha:MinimumScore"] = "0.5",
        ["Captcha:ReCaptcha:VerifyUrl"] = verifyUrl ?? _google.VerifyUrl,
    });

    [Fact]
    public async Task GoodToken_StoresTheTip_AndSendsGoogleOnlySecretAndToken()
    {
        using var factory = NewApp();
        var client = Clients.New(factory);

        var response = await PostWithTokenAsync(client, "good");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await factory.ScopedAsync(db => db.Tips.CountAsync()));
        var call = Assert.Single(_google.Calls);
        Assert.Equal(_secret, call["secret"]);
        Assert.Equal("good", call["response"]);
        Assert.Equal(["response", "secret"], call.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("low-score", "did not succeed")]
    [InlineData("other-action", "did not succeed")]
    [InlineData("refused", "did not succeed")]
    [InlineData("used", "did not succeed")]
    [InlineData("google-error", "not available")]
    public async Task RefusedToken_KeepsTheTextAndOffersTheQuestion(string token, string message)
    {
        using var factory = NewApp();
        var client = Clients.New(factory);

        var response = await PostWithTokenAsync(client, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(message, page.QuerySelector("[data-valmsg-for='Input.CheckAnswer']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("#widget-check")!.GetAttribute("data-show-question"));
        Assert.Contains("sawmill", page.QuerySelector("#Input_Description")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Fact]
    public async Task GoogleUnreachable_SaysSoAndTheQuestionStillWorks()
    {
        using var factory = NewApp(verifyUrl: "http://127.0.0.1:9/recaptcha/api/siteverify");
        var client = Clients.New(factory);

        var refused = await Html.ParseAsync(await PostWithTokenAsync(client, "good"));
        Assert.Contains("not available", refused.QuerySelector("[data-valmsg-for='Input.CheckAnswer']")!.TextContent, StringComparison.Ordinal);

        var retry = Html.FormFields(refused);
        retry["Input.WidgetResponse"] = "";
        retry["Input.CheckAnswer"] = TipForms.AnswerTo(refused);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(retry))).StatusCode);
    }

    [Fact]
    public async Task FormPage_LoadsGoogleScript_SaysSo_AndTheCspAllowsOnlyGoogle()
    {
        using var factory = NewApp();
        var response = await factory.CreateClient().GetAsync("/tips/new");
        var page = await Html.ParseAsync(response);

        Assert.StartsWith("https://www.google.com/recaptcha/api.js?render=site-key-for-tests", page.QuerySelector("script[src*='recaptcha']")!.GetAttribute("src"), StringComparison.Ordinal);
        Assert.Contains("Google", page.QuerySelector("#recaptcha-note")!.TextContent, StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self' https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        var about = await Html.ParseAsync(await factory.CreateClient().GetAsync("/about/protection"));
        Assert.NotNull(about.QuerySelector("#third-party-check"));
    }

    [Fact]
    public void WithoutKeys_RefusesToStart()
    {
        using var factory = new AppFactory(new() { ["Captcha:Provider"] = "ReCaptcha" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Captcha:ReCaptcha:SecretKey", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string token)
    {
        var fields = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/new")));
        fields["Input.Description"] = "Seen at the sawmill with the wanted man.";
        fields["Input.WidgetResponse"] = token;
        return await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));
    }

    /// <summary>Answers as Google's siteverify documents, by token; records what it was sent.</summary>
    private sealed class FakeSiteVerify : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeSiteVerify(WebApplication app, string verifyUrl)
        {
            _app = app;
            VerifyUrl = verifyUrl;
        }

        public string VerifyUrl { get; }
        public ConcurrentQueue<Dictionary<string, string>> Calls { get; } = new();

        public static async Task<FakeSiteVerify> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            FakeSiteVerify? fake = null;
            app.MapPost("/recaptcha/api/siteverify", async (HttpRequest request) =>
            {
                var form = await request.ReadFormAsync();
                fake!.Calls.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
                return form["response"].ToString() switch
                {
                    "good" => Results.Json(new { success = true, score = 0.9, action = "tip", hostname = "localhost" }),
                    "low-score" => Results.Json(new { success = true, score = 0.1, action = "tip", hostname = "localhost" }),
                    "other-action" => Results.Json(new { success = true, score = 0.9, action = "login", hostname = "localhost" }),
                    "used" => Results.Json(new Dictionary<string, object> { ["success"] = false, ["error-codes"] = new[] { "timeout-or-duplicate" } }),
                    "google-error" => Results.StatusCode(500),
                    _ => Results.Json(new Dictionary<string, object> { ["success"] = false, ["error-codes"] = new[] { "invalid-input-response" } }),
                };
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            fake = new FakeSiteVerify(app, address + "/recaptcha/api/siteverify");
            return fake;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
