using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Serilog.Events;

namespace InfraTerra.Tests.Infrastructure.Email;

/// <summary>
/// The outbox sender against a real SMTP server in the test (or none listening), on the app's real
/// database, with a fake clock: retries, back-off, giving up, and claims that keep two senders apart.
/// </summary>
public sealed class OutboxSenderTests(SharedApp app) : IClassFixture<SharedApp>, IAsyncLifetime
{
    private const string Officer = "officer.outbox@example.org";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2031, 5, 1, 8, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => app.ScopedAsync(db => db.EmailOutbox.ExecuteDeleteAsync());

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ServerDown_CountsAnAttemptAndBacksOff_ThenSendsWhenTheServerIsBack()
    {
        var port = SmtpSink.FreePort();
        var id = await EnqueueAsync("Retry me");
        var sender = Sender(port);

        Assert.Equal(0, await sender.RunOnceAsync(CancellationToken.None));

        var failed = await RowAsync(id);
        Assert.Equal(1, failed.Attempts);
        Assert.Null(failed.SentAtUtc);
        Assert.Null(failed.ClaimedUntilUtc);
        Assert.Equal(Now + OutboxSender.Backoff(1), failed.NextAttemptAtUtc);
        Assert.StartsWith("cannot reach the server", failed.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(Officer, failed.LastError, StringComparison.Ordinal);

        // Not due yet: a run now does not even try.
        Assert.Equal(0, await sender.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, (await RowAsync(id)).Attempts);

        await using var server = SmtpSink.Start(port);
        _clock.Advance(OutboxSender.Backoff(1));
        Assert.Equal(1, await sender.RunOnceAsync(CancellationToken.None));

        var mail = Assert.Single(await server.WaitForAsync(1));
        Assert.Equal(Officer, ((MailboxAddress)mail.To.Single()).Address);
        Assert.Equal("Retry me", mail.Subject);
        var sent = await RowAsync(id);
        Assert.Equal(Now, sent.SentAtUtc);
        Assert.Null(sent.LastError);
        Assert.Equal(0, await sender.RunOnceAsync(CancellationToken.None));
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task Backoff_DoublesFromThirtySeconds_UpToSixHours()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), OutboxSender.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(60), OutboxSender.Backoff(2));
        Assert.Equal(TimeSpan.FromMinutes(8), OutboxSender.Backoff(5));
        Assert.Equal(TimeSpan.FromHours(6), OutboxSender.Backoff(30));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task AfterTheLastAttempt_TheMessageIsGivenUp_WithAWarningNamingItsIdAndNotItsAddress()
    {
        var id = await EnqueueAsync("Give up");
        var sender = Sender(SmtpSink.FreePort(), maxAttempts: 2);

        await sender.RunOnceAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(1));
        await sender.RunOnceAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));
        await sender.RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, (await RowAsync(id)).Attempts);
        var warning = Assert.Single(app.Logs.Events, e => e.Level == LogEventLevel.Warning
            && e.Properties.TryGetValue("MessageId", out var logged) && logged.ToString() == id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("given up", warning.RenderMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(Officer, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSendersAtOnce_SendEveryMessageExactlyOnce()
    {
        await using var server = SmtpSink.Start();
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await EnqueueAsync($"Once {i}"));
        }

        var sent = await Task.WhenAll(Sender(server.Port).RunOnceAsync(CancellationToken.None), Sender(server.Port).RunOnceAsync(CancellationToken.None));

        Assert.Equal(12, sent.Sum());
        var arrived = await server.WaitForAsync(12);
        await Task.Delay(200);
        Assert.Equal(12, server.Messages.Count);
        Assert.Equal(12, arrived.Select(m => m.Subject).Distinct().Count());
        Assert.Equal(12, await app.ScopedAsync(db => db.EmailOutbox.CountAsync(m => ids.Contains(m.Id) && m.SentAtUtc != null)));
    }

    [Fact]
    public async Task MessageClaimedByAnotherSender_IsLeftAlone_UntilItsClaimLapses()
    {
        await using var server = SmtpSink.Start();
        var id = await EnqueueAsync("Claimed elsewhere");
        await app.ScopedAsync(db => db.EmailOutbox.Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntilUtc, Now + OutboxSender.ClaimLease)));
        var sender = Sender(server.Port);

        Assert.Equal(0, await sender.RunOnceAsync(CancellationToken.None));
        Assert.Empty(server.Messages);

        // The other node died holding it: once the claim lapses, this one sends it.
        _clock.Advance(OutboxSender.ClaimLease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await sender.RunOnceAsync(CancellationToken.None));
        Assert.Single(await server.WaitForAsync(1));
    }

    [Fact]
    public async Task EmailOff_SenderDoesNothing()
    {
        var id = await EnqueueAsync("Nowhere to go");
        var off = new OutboxSender(app.Services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new EmailOptions()), _clock,
            app.Services.GetRequiredService<ILogger<OutboxSender>>());

        Assert.Equal(0, await off.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, (await RowAsync(id)).Attempts);
    }

    [Theory]
    [InlineData("Email:Smtp:From", "", "Email:Smtp:From must be an e-mail address")]
    [InlineData("Email:Smtp:From", "not an address", "Email:Smtp:From must be an e-mail address")]
    [InlineData("Email:Smtp:Port", "70000", "Email:Smtp:Port must be between 1 and 65535")]
    [InlineData("Email:Smtp:User", "relay-user", "Email:Smtp:Password is missing")]
    [InlineData("Email:LinkBaseUrl", "triage.example.org", "Email:LinkBaseUrl must be an absolute http(s) address")]
    [InlineData("Email:MaxAttempts", "0", "Email:MaxAttempts must be between 1 and 100")]
    public void HalfConfiguredEmail_RefusesToStart_NamingTheSetting(string key, string value, string error)
    {
        using var factory = new AppFactory(new()
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:From"] = "noreply@example.org",
            [key] = value,
        });

        var refused = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(error, refused.Message, StringComparison.Ordinal);
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private OutboxSender Sender(int port, int maxAttempts = 10) => new(
        app.Services.GetRequiredService<IServiceScopeFactory>(),
        Options.Create(new EmailOptions
        {
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, UseTls = false, From = "InfraTerra <noreply@infraterra.test>", TimeoutSeconds = 5 },
            MaxAttempts = maxAttempts,
        }),
        _clock,
        app.Services.GetRequiredService<ILogger<OutboxSender>>());

    private Task<long> EnqueueAsync(string subject) =>
        app.ScopedAsync(async db =>
        {
            Assert.True(EmailOutbox.Enqueue(db, Officer, subject, "A tip needs you. Sign in to read it.", Now));
            await db.SaveChangesAsync();
            return await db.EmailOutbox.Where(m => m.Subject == subject).Select(m => m.Id).SingleAsync();
        });

    private Task<EmailOutboxMessage> RowAsync(long id) =>
        app.ScopedAsync(db => db.EmailOutbox.AsNoTracking().SingleAsync(m => m.Id == id));
}
