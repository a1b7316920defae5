using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InfraTerra.Web.Infrastructure.Captcha;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace InfraTerra.Tests.Infrastructure.Captcha;

/// <summary>
/// The key derivation is the only costly step of a check, so it runs last: whatever the cheap checks
/// refuse never reaches it, and what reaches it first spends the client's budget.
/// <see cref="ProofOfWork.Derivations"/> counts how many keys were derived.
/// </summary>
public sealed class ProofOfWorkCheckOrderTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));

    private ProofOfWork NewCheck(int cost = 20, int zeroHexDigits = 1) => new(
        Keys,
        _clock,
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Captcha:ProofOfWork:Cost"] = cost.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Captcha:ProofOfWork:ZeroHexDigits"] = zeroHexDigits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build(),
        new OneTimeUse(Keys, new StoreOfClaims(_clock), _clock));

    private static readonly TipKeys Keys = new("k1", RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Defaults_AskTenTimesLessOfTheServer_AndAboutTheSameOfTheBrowser()
    {
        var check = new ProofOfWork(Keys, _clock, new ConfigurationBuilder().Build(), new OneTimeUse(Keys, new StoreOfClaims(_clock), _clock));

        Assert.Equal(500, check.Cost);
        Assert.Equal("000", check.KeyPrefix);
        var challenge = JsonNode.Parse(check.NewChallengeJson())!;
        Assert.Equal(500, (int)challenge["parameters"]!["cost"]!);
        Assert.Equal("000", (string?)challenge["parameters"]!["keyPrefix"]);
    }

    [Fact]
    public async Task RightAnswer_Passes_AfterOneDerivation()
    {
        var check = NewCheck();

        Assert.Equal(CheckResult.Passed, await check.VerifyAsync(Solve(check.NewChallengeJson()), "form-a", _ => Task.FromResult(true), CancellationToken.None));
        Assert.Equal(1, check.Derivations);
    }

    [Fact]
    public async Task WrongAnswerToAValidChallenge_IsRefused()
    {
        var check = NewCheck();

        var result = await check.VerifyAsync(Solve(check.NewChallengeJson(), wrongCounter: true), "form-a", _ => Task.FromResult(true), CancellationToken.None);

        Assert.Equal(CheckResult.Wrong, result);
        Assert.Equal(1, check.Derivations);
    }

    [Fact]
    public async Task TamperedSignature_IsRefused_WithoutDerivingAKey_OrSpendingTheBudget()
    {
        var check = NewCheck();
        var challenge = JsonNode.Parse(check.NewChallengeJson())!;
        var signature = (string)challenge["signature"]!;
        challenge["signature"] = (signature[0] == 'a' ? "b" : "a") + signature[1..];
        var spent = 0;

        var result = await check.VerifyAsync(Solve(challenge.ToJsonString()), "form-a", _ => Task.FromResult(++spent > 0), CancellationToken.None);

        Assert.Equal(CheckResult.Wrong, result);
        Assert.Equal(0, check.Derivations);
        Assert.Equal(0, spent);
    }

    [Fact]
    public async Task TamperedParameters_AreRefused_WithoutDerivingAKey()
    {
        var check = NewCheck();
        var challenge = JsonNode.Parse(check.NewChallengeJson())!;
        challenge["parameters"]!["cost"] = 1;

        Assert.Equal(CheckResult.Wrong, await check.VerifyAsync(Solve(challenge.ToJsonString()), "form-a", _ => Task.FromResult(true), CancellationToken.None));
        Assert.Equal(0, check.Derivations);
    }

    [Fact]
    public async Task ExpiredChallenge_IsRefused_WithoutDerivingAKey()
    {
        var check = NewCheck();
        var solution = Solve(check.NewChallengeJson());
        _clock.Advance(ProofOfWork.ChallengeLifetime + TimeSpan.FromSeconds(1));
        var spent = 0;

        Assert.Equal(CheckResult.Expired, await check.VerifyAsync(solution, "form-a", _ => Task.FromResult(++spent > 0), CancellationToken.None));
        Assert.Equal(0, check.Derivations);
        Assert.Equal(0, spent);
    }

    [Fact]
    public async Task SolutionClaimedByAnotherForm_IsRefused_WithoutDerivingAKey()
    {
        var check = NewCheck();
        var solution = Solve(check.NewChallengeJson());
        Assert.Equal(CheckResult.Passed, await check.VerifyAsync(solution, "form-a", _ => Task.FromResult(true), CancellationToken.None));

        Assert.Equal(CheckResult.Expired, await check.VerifyAsync(solution, "form-b", _ => Task.FromResult(true), CancellationToken.None));
        Assert.Equal(1, check.Derivations);

        // The form that claimed it, sent again (a double click), passes without deriving again.
        Assert.Equal(CheckResult.Passed, await check.VerifyAsync(solution, "form-a", _ => Task.FromResult(true), CancellationToken.None));
        Assert.Equal(1, check.Derivations);
    }

    [Fact]
    public async Task KeyWithoutThePrefix_IsRefused_WithoutDerivingAKey()
    {
        var check = NewCheck(zeroHexDigits: 2);
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Solve(check.NewChallengeJson()))))!;
        payload["solution"]!["derivedKey"] = "ff" + ((string)payload["solution"]!["derivedKey"]!)[2..];

        var result = await check.VerifyAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString())), "form-a", _ => Task.FromResult(true), CancellationToken.None);

        Assert.Equal(CheckResult.Wrong, result);
        Assert.Equal(0, check.Derivations);
    }

    [Fact]
    public async Task SpentBudget_RefusesBeforeDerivingAKey_EvenForARightAnswer()
    {
        var check = NewCheck();
        var budget = 2;
        Task<bool> Spend(CancellationToken _) => Task.FromResult(budget-- > 0);

        Assert.Equal(CheckResult.Wrong, await check.VerifyAsync(Solve(check.NewChallengeJson(), wrongCounter: true), "form-a", Spend, CancellationToken.None));
        Assert.Equal(CheckResult.Passed, await check.VerifyAsync(Solve(check.NewChallengeJson()), "form-b", Spend, CancellationToken.None));
        Assert.Equal(CheckResult.TooMany, await check.VerifyAsync(Solve(check.NewChallengeJson()), "form-c", Spend, CancellationToken.None));
        Assert.Equal(2, check.Derivations);
    }

    /// <summary>ALTCHA v2: the counter whose PBKDF2(nonce ‖ counter as big-endian uint32, salt) starts with the prefix, as the widget sends it.</summary>
    private static string Solve(string challengeJson, bool wrongCounter = false)
    {
        var challenge = JsonNode.Parse(challengeJson)!;
        var p = challenge["parameters"]!;
        var nonce = Convert.FromHexString((string)p["nonce"]!);
        var salt = Convert.FromHexString((string)p["salt"]!);
        var prefix = (string)p["keyPrefix"]!;
        var password = new byte[nonce.Length + 4];
        nonce.CopyTo(password, 0);
        for (uint counter = 0; ; counter++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(password.AsSpan(nonce.Length), counter);
            var key = Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(password, salt, Math.Max(1, (int)p["cost"]!), HashAlgorithmName.SHA256, 32));
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                var payload = new JsonObject
                {
                    ["challenge"] = challenge.DeepClone(),
                    ["solution"] = new JsonObject { ["counter"] = wrongCounter ? counter + 1 : counter, ["derivedKey"] = key },
                };
                return Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString(new JsonSerializerOptions())));
            }
        }
    }
}
