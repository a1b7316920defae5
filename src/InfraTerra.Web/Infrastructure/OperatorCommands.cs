using System.Globalization;
using System.Security.Cryptography;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// `dotnet run --project src/InfraTerra.Web -- &lt;command&gt;`: the operator's tools. They run
/// with the app's configuration and services, then exit instead of serving.
/// </summary>
public static class OperatorCommands
{
    private static readonly Dictionary<string, Func<IServiceProvider, CommandArguments, TextWriter, Task<int>>> Commands = new()
    {
        ["migrate"] = MigrateAsync,
        ["seed-demo"] = SeedDemoAsync,
        ["create-user"] = CreateUserAsync,
        ["reset-user"] = ResetUserAsync,
        ["rotate-key"] = RotateKeyAsync,
        ["audit-verify"] = AuditVerifyAsync,
        ["backup"] = DatabaseBackup.RunAsync,
        ["generate-tips"] = GenerateTipsAsync,
        ["generate-notices"] = GenerateNoticesAsync,
    };

    /// <summary>A command a feature adds, registered in DI beside its own code: this class knows no feature.</summary>
    public sealed record FeatureCommand(string Name, Func<IServiceProvider, CommandArguments, TextWriter, Task<int>> RunAsync);

    /// <summary>The most <c>generate-tips</c> makes in one run: ten times the queue's target scale.</summary>
    public const int MaxSampleTips = 10_000_000;

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.ContainsKey(args[0]);

    public static bool IsCommand(IServiceProvider services, string[] args) =>
        IsCommand(args) || (args.Length > 0 && services.GetServices<FeatureCommand>().Any(c => c.Name == args[0]));

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        await using var scope = services.CreateAsyncScope();
        try
        {
            var command = Commands.GetValueOrDefault(args[0])
                ?? scope.ServiceProvider.GetServices<FeatureCommand>().First(c => c.Name == args[0]).RunAsync;
            return await command(scope.ServiceProvider, new CommandArguments(args), output);
        }
        catch (CommandException e)
        {
            await output.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, CommandArguments args, TextWriter output)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        await output.WriteLineAsync($"Applied {pending.Count} migration(s) to the {db.Database.ProviderName} database.");
        return 0;
    }

    private static async Task<int> SeedDemoAsync(IServiceProvider services, CommandArguments args, TextWriter output)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var seeded = await DemoData.SeedAsync(db, services.GetRequiredService<TimeProvider>());
        await output.WriteLineAsync(seeded
            ? "Added the fictional sample operation INFRA-Terra and its sample notices."
            : "The sample operation is already there; nothing changed.");
        return 0;
    }

    /// <summary>
    /// Published sample notices in bulk for benches and demos (<see cref="BulkNotices"/>). Sample data
    /// has no place in a real database, so outside Development it needs <c>--force-sample-data</c>.
    /// </summary>
    private static async Task<int> GenerateNoticesAsync(IServiceProvider services, CommandArguments args, TextWriter output)
    {
        const string force = "--force-sample-data";
        var count = int.TryParse(args.Required("--count"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= BulkNotices.MaxCount
            ? n
            : throw new CommandException($"--count must be a whole number from 1 to {BulkNotices.MaxCount.ToString(CultureInfo.InvariantCulture)}.");
        var seed = 1;
        if (args.Optional("--seed") is { } seedText)
        {
            seed = int.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                ? s
                : throw new CommandException("--seed must be a whole number from 0 to 2147483647.");
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment() && !args.Flag(force))
        {
            throw new CommandException(
                $"generate-notices adds invented people to the database; the environment is {environment.EnvironmentName}, not Development. "
                + $"Add {force} if this database really is for tests or demonstrations. Nothing was changed.");
        }

        BulkNotices.Result result;
        try
        {
            var bulk = new BulkNotices(services.GetRequiredService<AppDbContext>(), services.GetRequiredService<TimeProvider>());
            result = await bulk.GenerateAsync(count, seed);
        }
        catch (BulkNotices.NoReferencesLeft e)
        {
            throw new CommandException(e.Message + " Nothing was changed.");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Added {result.Created} published sample notices, {result.FirstReference} to {result.LastReference}, in {result.Operations} sample operation(s), in {result.Took.TotalSeconds:0.0} s."));
        await output.WriteLineAsync(
            "A running app shows them within a minute (its public cache lives 60 seconds); one restarted or started now shows them at once.");
        return 0;
    }

    private static async Task<int> CreateUserAsync(IServiceProvider services, CommandArguments args, TextWriter output)
    {
        var email = args.Required("--email");
        var role = args.Required("--role");
        var canonicalRole = Roles.All.FirstOrDefault(r => r.Equals(role, StringComparison.OrdinalIgnoreCase))
            ?? throw new CommandException($"--role must be one of {string.Join(", ", Roles.All)}.");
        var desks = AccountAdministration.ParseDesks(string.Join(',', args.All("--desk")), out var unknown);
        if (unknown.Count > 0)
        {
            throw new CommandException($"--desk must be an ISO country code (e.g. KE) or {Tip.GeneralDesk}, not {string.Join(", ", unknown)}.");
        }

        AccountAdministration.Created created;
        try
        {
            created = await services.GetRequiredService<AccountAdministration>()
                .CreateAsync(email, [canonicalRole], desks, AuditActor.CommandLine);
        }
        catch (AccountChangeRefused e)
        {
            throw new CommandException(e.Message.Replace("An account", "an account", StringComparison.Ordinal));
        }

        await output.WriteLineAsync($"Created {canonicalRole} {email}" + (desks.Count > 0 ? $" on desk(s) {string.Join(", ", desks)}." : "."));
        await output.WriteLineAsync($"One-time password: {created.OneTimePassword}");
        await output.WriteLineAsync("It must be changed at first sign-in, when an authenticator app is also set up. It is not stored or shown again.");
        return 0;
    }

    /// <summary>
    /// For an officer who cannot sign in (locked out, disabled, authenticator lost), the last
    /// administrator included: whoever runs it holds the server, which is the trust this needs.
    /// </summary>
    private static async Task<int> ResetUserAsync(IServiceProvider services, CommandArguments args, TextWriter output)
    {
        var email = args.Required("--email");
        string password;
        try
        {
            password = await services.GetRequiredService<AccountAdministration>().RescueAsync(email, AuditActor.CommandLine);
        }
        catch (AccountChangeRefused e)
        {
            throw new CommandException(e.Message);
        }

        await output.WriteLineAsync($"Reset {email}: lockout cleared, account enabled, second factor removed, every session ended.");
        await output.WriteLineAsync($"One-time password: {password}");
        await output.WriteLineAsync("It must be changed at the next sign-in, when an authenticator app is set up again. It is not stored or shown again.");
        return 0;
    }

    /// <summary>
    /// After a new Tips:MasterKey (with a new id) is configured and the old one moved to
    /// Tips:PreviousMasterKeys, re-wraps every tip's data key under the new key, in batches.
    /// </summary>
    private static async Task<int> RotateKeyAsync(IServiceProvider services, CommandArguments args, TextWriter output)
    {
        const int batchSize = 500;
        var db = services.GetRequiredService<AppDbContext>();
        var keys = services.GetRequiredService<TipKeys>();
        var sealer = services.GetRequiredService<TipSealer>();
        var current = keys.MasterKeyId;

        var staleIds = await db.Tips.Where(t => t.MasterKeyId != current).Select(t => t.MasterKeyId).Distinct().ToListAsync();
        var unknown = staleIds.Where(id => !keys.Knows(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new CommandException(
                $"tips are wrapped by key(s) {string.Join(", ", unknown)}, which are not in Tips:PreviousMasterKeys. Nothing was changed.");
        }

        var rewrapped = 0;
        while (true)
        {
            var batch = await db.Tips.Where(t => t.MasterKeyId != current).OrderBy(t => t.Id).Take(batchSize).ToListAsync();
            if (batch.Count == 0)
            {
                break;
            }

            batch.ForEach(sealer.Rewrap);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            rewrapped += batch.Count;
        }

        await output.WriteLineAsync($"Re-wrapped {rewrapped} tip data key(s) under master key '{current}'.");
        if (staleIds.Count > 0)
        {
            await output.WriteLineAsync($"Key(s) {string.Join(", ", staleIds)} can leave Tips:PreviousMasterKeys once no backup that needs them is kept.");
        }

        return 0;
    }

    /// <summary>
    /// Walks the HMAC chain of the audit log. The chain cannot reveal that its newest records were cut
    /// off, so the command prints the head to note elsewhere and accepts <c>--expect-at-least N</c>.
    /// </summary>
    private static async Task<int> AuditVerifyAsync(IServiceProvider services, CommandArguments args, TextWriter output)
    {
        long? expectAtLeast = null;
        if (args.Optional("--expect-at-least") is { } value)
        {
            expectAtLeast = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new CommandException("--expect-at-least must be a positive record count.");
        }

        var result = await services.GetRequiredService<AuditVerifier>().VerifyAsync();
        var problems = result.Problems.ToList();
        if (expectAtLeast is { } least && (result.LastSequence ?? 0) < least)
        {
            problems.Add(new AuditProblem(result.LastSequence ?? 0, result.LastSequence is null
                ? $"the log is empty but at least {least} records were expected: records were removed."
                : $"the log ends at record {result.LastSequence} but at least {least} were expected: the newest records were removed."));
        }

        var head = result.LastSequence is null
            ? $"{result.Checked} records"
            : string.Create(CultureInfo.InvariantCulture, $"{result.Checked} records, last #{result.LastSequence} at {result.LastAtUtc:yyyy-MM-dd HH:mm:ss.ffffff} UTC");
        if (problems.Count == 0)
        {
            await output.WriteLineAsync($"Audit log intact: {head}.");
            if (result.LastSequence is not null)
            {
                await output.WriteLineAsync($"Head MAC: {result.HeadMacHex}");
            }

            await output.WriteLineAsync(
                "The chain cannot show that its newest records were removed: note the last number (and head MAC) elsewhere "
                + "and pass it next time as --expect-at-least N.");
            return 0;
        }

        await output.WriteLineAsync($"Audit log NOT intact: {problems.Count}{(result.ProblemsTruncated ? "+" : "")} problem(s) in {head}.");
        foreach (var problem in problems)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  #{problem.Sequence}: {problem.Message}"));
        }

        if (result.ProblemsTruncated)
        {
            await output.WriteLineAsync("  (more problems follow; only the first ones are listed)");
        }

        return 1;
    }

    /// <summary>
    /// Fills the tip store with fictional, really encrypted tips for benchmarks and demos. Sample tips
    /// in a real unit's queue would be worked as real ones, so it runs only in Development unless
    /// <c>--force-sample-data</c> says the database is a throwaway one.
    /// </summary>
    private static async Task<int> GenerateTipsAsync(IServiceProvider services, CommandArguments args, TextWriter output)
    {
        var count = int.TryParse(args.Required("--count"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= MaxSampleTips
            ? n
            : throw new CommandException(string.Create(CultureInfo.InvariantCulture, $"--count must be a whole number from 1 to {MaxSampleTips:N0}."));
        var seed = 1;
        if (args.Optional("--seed") is { } seedText)
        {
            seed = int.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                ? s
                : throw new CommandException("--seed must be a whole number from 0 to 2147483647.");
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment() && !args.Flag("--force-sample-data"))
        {
            throw new CommandException(
                $"generate-tips adds fictional tips to the tip store, where officers would take them for real ones, so it runs only in Development (this is {environment.EnvironmentName}). "
                + "On a throwaway database for a benchmark or a demo, add --force-sample-data.");
        }

        var result = await services.GetRequiredService<ISampleTipGenerator>().GenerateAsync(count, seed, output, CancellationToken.None);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Added {result.Tips:N0} sample tips ({result.Clusters:N0} clusters, {result.Messages:N0} messages) in {result.Elapsed.TotalSeconds:N1} s: {result.Tips / Math.Max(result.Elapsed.TotalSeconds, 0.001):N0} tips/s."));
        return 0;
    }

    public static string OneTimePassword()
    {
        const string upper = "ABCDEFGHJKMNPQRSTVWXYZ";
        const string lower = "abcdefghjkmnpqrstvwxyz";
        const string digits = "23456789";
        const string all = upper + lower + digits;
        while (true)
        {
            var chars = RandomNumberGenerator.GetItems<char>(all, 20);
            var candidate = string.Join('-', new string(chars).Chunk(5).Select(c => new string(c)));
            if (candidate.Any(upper.Contains) && candidate.Any(lower.Contains) && candidate.Any(digits.Contains))
            {
                return candidate;
            }
        }
    }

    public sealed class CommandArguments(string[] args)
    {
        public bool Flag(string name) => Array.IndexOf(args, name) >= 0;

        public string? Optional(string name) => Array.IndexOf(args, name) >= 0 ? Required(name) : null;

        public string Required(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length && !args[index + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[index + 1]
                : throw new CommandException($"{name} is required.");
        }

        /// <summary>Every value given after <paramref name="name"/>, which may be repeated.</summary>
        public IEnumerable<string> All(string name)
        {
            for (var i = 0; i + 1 < args.Length; i++)
            {
                if (args[i] == name && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    yield return args[i + 1];
                }
            }
        }
    }

    public sealed class CommandException(string message) : Exception(message);
}
