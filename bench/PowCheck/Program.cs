using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using InfraTerra.Web.Infrastructure.Captcha;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.Extensions.Configuration;

// The server's CPU for one proof-of-work check, right and wrong answers, with the app's own
// ProofOfWork class (a load client cannot solve challenges at hundreds per second, so the check is
// timed here by itself). Usage: PowCheck [--cost N --zeros N] [--checks 1000]
//   no --cost/--zeros: the app's defaults (appsettings.json's values are the same).
var values = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    values[args[i].TrimStart('-')] = args[i + 1];
}

var settings = new Dictionary<string, string?>();
if (values.TryGetValue("cost", out var cost))
{
    settings["Captcha:ProofOfWork:Cost"] = cost;
}

if (values.TryGetValue("zeros", out var zeros))
{
    settings["Captcha:ProofOfWork:ZeroHexDigits"] = zeros;
}

var checks = values.TryGetValue("checks", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 1000;
var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
var keys = new TipKeys("bench", RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
// The check's CPU alone: claims are kept in this process (in the app they go to Redis or the
// database, a round trip these figures leave out on purpose).
ProofOfWork NewCheck() => new(keys, TimeProvider.System, configuration, new OneTimeUse(keys, new ClaimsInThisProcess(), TimeProvider.System));

var check = NewCheck();
var solving = Stopwatch.StartNew();
var (right, wrong, tries) = Solve(check.NewChallengeJson());
solving.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"parameters: PBKDF2-SHA-256 cost {check.Cost}, key prefix \"{check.KeyPrefix}\" (expected tries {Math.Pow(16, check.KeyPrefix.Length):0}); " +
    $"this challenge took {tries} tries, {solving.Elapsed.TotalMilliseconds:0} ms on one core of this machine"));

// A right answer is claimed by the first form, and a form that claimed it passes again without
// deriving: each timed check gets its own instance (they share the signing key, as nodes do),
// built before the clock starts.
var fresh = Enumerable.Range(0, checks + 50).Select(_ => NewCheck()).ToList();
var rightMs = Time("right answer", checks, i => Expect(CheckResult.Passed, fresh[i].VerifyAsync(right, "form", Spend(true), CancellationToken.None).GetAwaiter().GetResult()));
var wrongMs = Time("wrong answer to a valid challenge", checks, _ => Expect(CheckResult.Wrong, check.VerifyAsync(wrong, "form", Spend(true), CancellationToken.None).GetAwaiter().GetResult()));
var payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(right)))!;
var signature = (string)payload["challenge"]!["signature"]!;
payload["challenge"]!["signature"] = (signature[0] == 'a' ? "b" : "a") + signature[1..];
var tampered = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString()));
Time("tampered signature", checks, _ => Expect(CheckResult.Wrong, check.VerifyAsync(tampered, "form", Spend(true), CancellationToken.None).GetAwaiter().GetResult()));
Time("over the client's budget", checks, _ => Expect(CheckResult.TooMany, check.VerifyAsync(wrong, "form", Spend(false), CancellationToken.None).GetAwaiter().GetResult()));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"summary: cost {check.Cost}, prefix {check.KeyPrefix}: right {rightMs:0.000} ms, wrong {wrongMs:0.000} ms of server CPU per check"));
return 0;

static Func<CancellationToken, Task<bool>> Spend(bool allowed) => _ => Task.FromResult(allowed);

static void Expect(CheckResult expected, CheckResult actual)
{
    if (actual != expected)
    {
        throw new InvalidOperationException($"Expected {expected}, got {actual}.");
    }
}

// Indices 0..49 warm up, checkCount more are timed: the right-answer list has one instance for each.
static double Time(string what, int count, Action<int> run)
{
    for (var i = 0; i < 50; i++)
    {
        run(i);
    }

    using var self = Process.GetCurrentProcess();
    var cpuBefore = self.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 50; i < count + 50; i++)
    {
        run(i);
    }

    clock.Stop();
    self.Refresh();
    var cpu = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / count;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {what,-36} {cpu,8:0.000} ms CPU per check ({clock.Elapsed.TotalMilliseconds / count:0.000} ms wall), {count} checks"));
    return cpu;
}

// ALTCHA v2, as the widget solves it: the counter whose PBKDF2(nonce ‖ counter as big-endian uint32, salt) starts with the prefix.
static (string Right, string Wrong, uint Tries) Solve(string challengeJson)
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
        var key = Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(password, salt, (int)p["cost"]!, HashAlgorithmName.SHA256, 32));
        if (key.StartsWith(prefix, StringComparison.Ordinal))
        {
            string Answer(uint c) => Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
            {
                ["challenge"] = challenge.DeepClone(),
                ["solution"] = new JsonObject { ["counter"] = c, ["derivedKey"] = key },
            }.ToJsonString()));
            return (Answer(counter), Answer(counter + 1), counter + 1);
        }
    }
}

internal sealed class ClaimsInThisProcess : ICheckClaims
{
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);

    public Task<string?> HolderOfAsync(string id, CancellationToken cancellationToken)
    {
        lock (_owners)
        {
            return Task.FromResult(_owners.GetValueOrDefault(id));
        }
    }

    public Task<string> ClaimAsync(string id, string owner, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        lock (_owners)
        {
            return Task.FromResult(_owners.TryAdd(id, owner) ? owner : _owners[id]);
        }
    }
}
