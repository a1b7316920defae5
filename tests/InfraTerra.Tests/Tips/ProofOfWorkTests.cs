using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InfraTerra.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// The server side of the self-hosted proof of work, driven by a solver written here from ALTCHA's
/// published algorithm (the browser journey solves it with the real widget).
/// </summary>
public sealed class ProofOfWorkTests
{
    private static AppFactory NewApp(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Captcha:ProofOfWork:Cost"] = "20", ["Captcha:ProofOfWork:ZeroHexDigits"] = "2" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new AppFactory(all);
    }

    [Fact]
    public async Task Challenge_IsSignedFreshAndNeverCached()
    {
        using var factory = NewApp();
        var client = factory.CreateClient();

        var first = await client.GetAsync("/tips/challenge");
        var second = await client.GetAsync("/tips/challenge");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.CacheControl?.NoStore);
        var challenge = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal("PBKDF2/SHA-256", (string?)challenge["parameters"]!["algorithm"]);
        Assert.Equal(20, (int)challenge["parameters"]!["cost"]!);
        Assert.Equal("00", (string?)challenge["parameters"]!["keyPrefix"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)challenge["signature"]);
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());

        // The form in another language asks under its own prefix.
        var arabicForm = await Html.ParseAsync(await client.GetAsync("/ar/tips/new"));
        var url = arabicForm.QuerySelector("#widget-check")!.GetAttribute("data-challenge")!;
        Assert.Equal("/ar/tips/challenge", url);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
        Assert.Equal("ar", arabicForm.QuerySelector("#widget-check")!.GetAttribute("data-language"));
    }

    [Fact]
    public async Task Challenge_WithAnotherProvider_IsNotFound()
    {
        using var factory = NewApp(new() { ["Captcha:Provider"] = "Question" });

        var response = await factory.CreateClient().GetAsync("/tips/challenge");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SolvedChallenge_WithoutAnsweringTheQuestion_StoresTheTip()
    {
        using var factory = NewApp();
        var client = Clients.New(factory);
        var fields = await OpenFormAsync(client);
        fields["Input.WidgetResponse"] = Solve(await ChallengeAsync(client));

        var response = await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    public static TheoryData<string, Func<JsonNode, string>> BadAnswers => new()
    {
        { "wrong counter", c => Solve(c, counterOffset: 1) },
        { "easier prefix", c => Solve(Tampered(c, p => p["keyPrefix"] = "0")) },
        { "cheaper cost", c => Solve(Tampered(c, p => p["cost"] = 1)) },
        { "later expiry", c => Solve(Tampered(c, p => p["expiresAt"] = (long)p["expiresAt"]! + 86_400)) },
        { "extra parameter", c => Solve(Tampered(c, p => p["data"] = "x")) },
        { "not base64", _ => "%%%not-base64%%%" },
        { "base64 of junk", _ => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"challenge\":[1,2,3]}")) },
        { "too long", _ => new string('A', 10_000) },
        { "deep json", _ => Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('[', 500) + new string(']', 500))) },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task BadWidgetAnswer_IsRefused_TheQuestionIsShownAndTheTextKept(string why, Func<JsonNode, string> answer)
    {
        using var factory = NewApp();
        var client = Clients.New(factory);
        var fields = await OpenFormAsync(client);
        fields["Input.WidgetResponse"] = answer(await ChallengeAsync(client));

        var response = await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));

        Assert.True(response.StatusCode == HttpStatusCode.OK, why);
        var page = await Html.ParseAsync(response);
        Assert.Contains("did not succeed", page.QuerySelector("[data-valmsg-for='Input.CheckAnswer']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("#widget-check")!.GetAttribute("data-show-question"));
        Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Fact]
    public async Task SolvedChallenge_WorksForOneTipOnly()
    {
        using var factory = NewApp();
        var client = Clients.New(factory);
        var solution = Solve(await ChallengeAsync(client));
        var first = await OpenFormAsync(client);
        first["Input.WidgetResponse"] = solution;
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(first))).StatusCode);

        var second = await OpenFormAsync(client);
        second["Input.Description"] = "A second tip riding on the first one's proof of work.";
        second["Input.WidgetResponse"] = solution;
        var response = await client.PostAsync("/tips/new", new FormUrlEncodedContent(second));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Fact]
    public async Task OneSolution_SentWithFiveFormsAtOnce_MakesOneTip()
    {
        using var factory = NewApp();
        var client = Clients.New(factory);
        var solution = Solve(await ChallengeAsync(client));
        var forms = new List<Dictionary<string, string>>();
        for (var i = 0; i < 5; i++)
        {
            var fields = await OpenFormAsync(client);
            fields["Input.Description"] = $"Parallel tip number {i} riding on one proof of work.";
            fields["Input.WidgetResponse"] = solution;
            forms.Add(fields);
        }

        var responses = await Task.WhenAll(forms.Select(f => client.PostAsync("/tips/new", new FormUrlEncodedContent(f))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.Equal(1, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Fact]
    public async Task OneForm_DoubleClickedWithItsSolution_MakesOneTip_AndBothGetTheReceipt()
    {
        using var factory = NewApp();
        var client = Clients.New(factory);
        var fields = await OpenFormAsync(client);
        fields["Input.WidgetResponse"] = Solve(await ChallengeAsync(client));

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.PostAsync("/tips/new", new FormUrlEncodedContent(fields))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(1, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Fact]
    public async Task FailedWidget_ButRightAnswerToTheQuestion_StoresTheTip()
    {
        using var factory = NewApp();
        var client = Clients.New(factory);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Seen loading ivory into a van behind the market.";
        fields["Input.WidgetResponse"] = "not-a-solution";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);

        var response = await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task WithoutScript_TheQuestionCostsMoreOfTheHourlyLimit()
    {
        using var factory = NewApp(new()
        {
            ["RateLimits:TipSubmissionsPerHour"] = "3",
            ["RateLimits:TipSubmissionsPerHourWithoutScript"] = "1",
        });
        var client = Clients.New(factory);

        // Through the question: one tip uses the whole budget of 3.
        var (byQuestion, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "First tip, sent without JavaScript.");
        Assert.Equal(HttpStatusCode.Redirect, byQuestion.StatusCode);
        var fields = await OpenFormAsync(client);
        fields["Input.WidgetResponse"] = Solve(await ChallengeAsync(client));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields))).StatusCode);

        // With the widget, each tip costs one.
        using var other = NewApp(new() { ["RateLimits:TipSubmissionsPerHour"] = "3", ["RateLimits:TipSubmissionsPerHourWithoutScript"] = "1" });
        var widgetClient = Clients.New(other);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var form = await OpenFormAsync(widgetClient);
            form["Input.WidgetResponse"] = Solve(await ChallengeAsync(widgetClient));
            statuses.Add((await widgetClient.PostAsync("/tips/new", new FormUrlEncodedContent(form))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task WidgetAnswers_PastTheClientsHourlyBudgetOfChecks_AreRefusedUnchecked_TheQuestionStillLetsThemIn()
    {
        using var factory = NewApp(new() { ["RateLimits:ProofChecksPerHour"] = "2" });
        var proofOfWork = factory.Services.GetRequiredService<InfraTerra.Web.Infrastructure.Captcha.ProofOfWork>();
        var client = Clients.New(factory);
        for (var i = 0; i < 2; i++)
        {
            var wrong = await OpenFormAsync(client);
            wrong["Input.WidgetResponse"] = Solve(await ChallengeAsync(client), counterOffset: 1);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(wrong))).StatusCode);
        }

        Assert.Equal(2, proofOfWork.Derivations);

        // A right answer now is not even checked: the budget was spent by the wrong ones.
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Seen loading ivory into a van behind the market.";
        fields["Input.WidgetResponse"] = Solve(await ChallengeAsync(client));
        var refused = await Html.ParseAsync(await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields)));
        Assert.Equal(2, proofOfWork.Derivations);
        Assert.Contains("did not succeed", refused.QuerySelector("[data-valmsg-for='Input.CheckAnswer']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(fields["Input.Description"], refused.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync()));

        // The question costs the server nothing and more of the tip budget: it stays a way through.
        var retry = Html.FormFields(refused);
        retry["Input.CheckAnswer"] = TipForms.AnswerTo(refused);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(retry))).StatusCode);
        Assert.Equal(2, proofOfWork.Derivations);
    }

    private static async Task<Dictionary<string, string>> OpenFormAsync(HttpClient client)
    {
        var fields = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/new")));
        fields["Input.Description"] = "Seen loading ivory into a van behind the market.";
        return fields;
    }

    internal static async Task<JsonNode> ChallengeAsync(HttpClient client) =>
        JsonNode.Parse(await client.GetStringAsync("/tips/challenge"))!;

    private static JsonNode Tampered(JsonNode challenge, Action<JsonObject> change)
    {
        var copy = challenge.DeepClone();
        change(copy["parameters"]!.AsObject());
        return copy;
    }

    /// <summary>ALTCHA v2: find the counter whose PBKDF2(nonce ‖ counter as big-endian uint32, salt) starts with the prefix.</summary>
    internal static string Solve(JsonNode challenge, int counterOffset = 0)
    {
        var p = challenge["parameters"]!;
        var nonce = Convert.FromHexString((string)p["nonce"]!);
        var salt = Convert.FromHexString((string)p["salt"]!);
        var cost = (int)p["cost"]!;
        var prefix = (string)p["keyPrefix"]!;
        var password = new byte[nonce.Length + 4];
        nonce.CopyTo(password, 0);
        for (uint counter = 0; ; counter++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(password.AsSpan(nonce.Length), counter);
            var key = Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(password, salt, Math.Max(1, cost), HashAlgorithmName.SHA256, 32));
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                var payload = new JsonObject
                {
                    ["challenge"] = new JsonObject { ["parameters"] = p.DeepClone(), ["signature"] = (string?)challenge["signature"] },
                    ["solution"] = new JsonObject { ["counter"] = counter + counterOffset, ["derivedKey"] = key, ["time"] = 12.5 },
                };
                return Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString(new JsonSerializerOptions())));
            }
        }
    }
}
