using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using InfraTerra.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Operations;

/// <summary>
/// The documented deployment, minus Docker: the app in Production on a plain-HTTP loopback port,
/// configured as docker-compose.yml configures it (secrets as files, the proxy settings), and the
/// repository's Caddyfile run by a real Caddy terminating TLS in front of it.
/// </summary>
public sealed class BehindCaddyTests
{
    private const string PublicHost = "tips.infraterra.test";
    private const string TipsterAgent = "TipsterBrowser/1.0";

    [SkippableFact]
    public async Task Production_BehindCaddy_TakesATipOverHttps_WithHstsAndOnlySecureCookies_AndCaddyLogsNoVisitor()
    {
        var caddy = RealParts.RequireCaddy();
        var root = RealParts.RepositoryRoot() ?? throw new InvalidOperationException("Repository root not found.");
        var compose = ComposeFile.Load(Path.Combine(root, "docker-compose.yml")).Environment("app1");
        var secrets = Directory.CreateTempSubdirectory("infraterra-secrets-").FullName;
        try
        {
            WriteSecretFiles(secrets);
            var proxyPort = CaddyProxy.FreeLoopbackPort();
            using var app = new AppFactory(
                new()
                {
                    ["SecretsFolder"] = secrets,
                    ["Tips:MasterKeyId"] = "behind-caddy",
                    ["DataProtection:CertificatePath"] = Path.Combine(secrets, "dataprotection.pfx"),
                    ["Captcha:Provider"] = "Question",
                    ["Site:PublicBaseUrl"] = $"https://{PublicHost}:{proxyPort}",

                    // What compose gives the app for the hop from its proxy; the proxy's address is loopback here.
                    ["Proxy:ForwardedProto"] = compose.GetValueOrDefault("Proxy__ForwardedProto", "false"),
                    ["Proxy:TrustedProxies"] = "127.0.0.1",

                    // Production's own limits and timing, not the test defaults.
                    ["RateLimits:TipSubmissionsPerHour"] = "30",
                    ["RateLimits:TipSubmissionsPerHourWithoutScript"] = "10",
                    ["RateLimits:FollowUpRepliesPerHour"] = "30",
                    ["Captcha:MinimumFillSeconds"] = "3",
                },
                environment: "Production");
            app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            app.StartServer();
            var upstream = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

            using var proxy = await CaddyProxy.StartAsync(caddy, Path.Combine(root, "Caddyfile"), PublicHost, proxyPort, upstream.Authority);
            var cookies = new CookieContainer();
            using var client = proxy.CreateClient(cookies);
            client.DefaultRequestHeaders.UserAgent.ParseAdd(TipsterAgent);
            var setCookies = new List<string>();

            var form = await client.GetAsync("/tips/new");
            var shownAt = DateTime.UtcNow;
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            // The app sends HSTS only for a request it sees as https (Caddy adds none): it read X-Forwarded-Proto.
            Assert.Contains("max-age=31536000", string.Join(" ", form.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
            setCookies.AddRange(SetCookies(form));

            var page = await Html.ParseAsync(form);
            var fields = Html.FormFields(page);
            fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
            fields["Input.Description"] = "Sent through the reverse proxy, as a tipster's browser would.";
            var wait = shownAt.AddSeconds(3.2) - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var post = await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));
            setCookies.AddRange(SetCookies(post));
            var receiptCode = await TipForms.ReceiptAsync(client, post);

            Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$", receiptCode);
            Assert.Equal(1, await app.ScopedAsync(db => Task.FromResult(db.Tips.Count())));
            Assert.NotEmpty(setCookies);
            Assert.All(setCookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));

            // The app down (a restart): Caddy answers 502 and, by default, would log who asked.
            app.Dispose();
            Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/tips/follow-up")).StatusCode);
            await Task.Delay(200);
            Assert.DoesNotContain(TipsterAgent, proxy.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("remote_ip", proxy.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("/tips/", proxy.Output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(secrets, recursive: true);
        }
    }

    /// <summary>The files docker-compose.yml mounts in /run/secrets, written as its comments tell the operator (with a final newline).</summary>
    private static void WriteSecretFiles(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "Tips__MasterKey"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        File.WriteAllText(Path.Combine(folder, "Tips__LookupKey"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        File.WriteAllText(Path.Combine(folder, "Audit__Key"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(Path.Combine(folder, "DataProtection__CertificatePassword"), password + "\n");

        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=InfraTerra Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(730));
        File.WriteAllBytes(Path.Combine(folder, "dataprotection.pfx"), certificate.Export(X509ContentType.Pfx, password));
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}
