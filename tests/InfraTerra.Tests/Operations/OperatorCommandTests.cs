using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Operations;

public sealed class OperatorCommandTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, args, output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task CreateUser_MakesAnAccountThatMustChangeItsOneTimePassword()
    {
        var (exit, output) = await RunAsync("create-user", "--email", "admin@example.org", "--role", "administrator");

        Assert.Equal(0, exit);
        Assert.Contains("Created Administrator admin@example.org", output, StringComparison.Ordinal);
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<OfficerUser>>();
        var user = await users.FindByEmailAsync("admin@example.org");
        Assert.NotNull(user);
        Assert.True(user.MustChangePassword);
        Assert.False(user.TwoFactorEnabled);
        Assert.True(await users.IsInRoleAsync(user, Roles.Administrator));
        var password = output.Split("One-time password: ")[1].Split('\n')[0].Trim();
        Assert.True(await users.CheckPasswordAsync(user, password));
    }

    [Fact]
    public async Task CreateUser_Twice_FailsTheSecondTime()
    {
        await RunAsync("create-user", "--email", "twice@example.org", "--role", "Officer");
        var (exit, output) = await RunAsync("create-user", "--email", "twice@example.org", "--role", "Officer");

        Assert.Equal(2, exit);
        Assert.Contains("already exists", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "create-user", "--email", "x@example.org", "--role", "Janitor" }, "--role must be one of")]
    [InlineData(new[] { "create-user", "--role", "Officer" }, "--email is required")]
    public async Task CreateUser_WithBadArguments_ExplainsWhat(string[] args, string message)
    {
        var (exit, output) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedDemo_OnASeededDatabase_ChangesNothing()
    {
        var before = factory.Scoped(db => db.Notices.Count());
        var (exit, output) = await RunAsync("seed-demo");

        Assert.Equal(0, exit);
        Assert.Contains("already there", output, StringComparison.Ordinal);
        Assert.Equal(before, factory.Scoped(db => db.Notices.Count()));
    }

    [Fact]
    public async Task Migrate_OnAnUpToDateDatabase_AppliesNothing()
    {
        var (exit, output) = await RunAsync("migrate");

        Assert.Equal(0, exit);
        Assert.Contains("Applied 0 migration(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void OneTimePasswords_AreLongRandomAndMeetThePolicy()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => OperatorCommands.OneTimePassword()).ToList();

        Assert.Equal(50, passwords.Distinct().Count());
        Assert.All(passwords, p =>
        {
            Assert.Equal(23, p.Length);
            Assert.Contains(p, char.IsUpper);
            Assert.Contains(p, char.IsLower);
            Assert.Contains(p, char.IsDigit);
        });
    }
}
