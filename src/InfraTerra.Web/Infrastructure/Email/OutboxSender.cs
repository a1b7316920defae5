using System.Net.Sockets;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Jobs;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace InfraTerra.Web.Infrastructure.Email;

/// <summary>
/// Sends what is due in the outbox. Each message is claimed first (<see cref="EmailOutboxMessage.ClaimedUntilUtc"/>,
/// by a conditional update only one sender can win), so two nodes, or two runs on one node, never
/// send it twice; a node that dies holding a claim lets it lapse and another node sends the message.
/// Delivery is at least once: a crash between the server's acceptance and the mark can send a message again.
/// A failure counts an attempt and backs off exponentially; after <see cref="EmailOptions.MaxAttempts"/> the
/// message is given up with a warning naming its id, never its address or content.
/// </summary>
public sealed class OutboxSender(IServiceScopeFactory scopes, IOptions<EmailOptions> options, TimeProvider clock, ILogger<OutboxSender> logger)
{
    /// <summary>How long a claim holds: well beyond one send, which times out first.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(6);

    /// <summary>The wait after the <paramref name="attempts"/>th failure: 30 s, 1 min, 2 min, ... at most 6 h.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Clamp(attempts - 1, 0, 20)));

    /// <summary>One run: claims and sends the due messages, up to a batch; returns how many were sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = Now();
        var due = await db.EmailOutbox.AsNoTracking()
            .Where(m => m.SentAtUtc == null && m.Attempts < settings.MaxAttempts && m.NextAttemptAtUtc <= now
                && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now))
            .OrderBy(m => m.NextAttemptAtUtc).ThenBy(m => m.Id)
            .Select(m => m.Id)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);

        SmtpClient? client = null;
        var sent = 0;
        try
        {
            foreach (var id in due)
            {
                var message = await ClaimAsync(db, id, cancellationToken);
                if (message is null)
                {
                    continue;
                }

                try
                {
                    client ??= await ConnectAsync(settings.Smtp, cancellationToken);
                    await client.SendAsync(Compose(settings.Smtp, message), cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsSendFailure(e))
                {
                    await FailAsync(db, message, e, settings.MaxAttempts, cancellationToken);
                    if (client is not { IsConnected: true })
                    {
                        // The server is unreachable: the rest of the batch waits for the next run, uncounted.
                        break;
                    }

                    continue;
                }

                var sentAt = Now();
                await db.EmailOutbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.SentAtUtc, sentAt)
                    .SetProperty(m => m.ClaimedUntilUtc, (DateTime?)null)
                    .SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
                sent++;
                logger.LogInformation("E-mail {MessageId} sent", message.Id);
            }
        }
        finally
        {
            if (client is not null)
            {
                if (client.IsConnected)
                {
                    try
                    {
                        await client.DisconnectAsync(true, CancellationToken.None);
                    }
                    catch (Exception e) when (IsSendFailure(e))
                    {
                        // Every message was already marked; a failed goodbye changes nothing.
                    }
                }

                client.Dispose();
            }
        }

        return sent;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    /// <summary>Takes the message unless someone else holds it or sent it meanwhile; null when not ours.</summary>
    private async Task<EmailOutboxMessage?> ClaimAsync(AppDbContext db, long id, CancellationToken cancellationToken)
    {
        var now = Now();
        var until = now + ClaimLease;
        var claimed = await db.EmailOutbox
            .Where(m => m.Id == id && m.SentAtUtc == null && m.NextAttemptAtUtc <= now && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntilUtc, until), cancellationToken);
        return claimed == 1 ? await db.EmailOutbox.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken) : null;
    }

    private async Task FailAsync(AppDbContext db, EmailOutboxMessage message, Exception error, int maxAttempts, CancellationToken cancellationToken)
    {
        var attempts = message.Attempts + 1;
        var next = Now() + Backoff(attempts);
        var reason = Describe(error);
        await db.EmailOutbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.NextAttemptAtUtc, next)
            .SetProperty(m => m.ClaimedUntilUtc, (DateTime?)null)
            .SetProperty(m => m.LastError, reason), cancellationToken);
        if (attempts >= maxAttempts)
        {
            logger.LogWarning("E-mail {MessageId} was given up after {Attempts} attempts; the last failure: {Reason}", message.Id, attempts, reason);
        }
        else
        {
            logger.LogInformation("E-mail {MessageId} failed (attempt {Attempts}), next try at {NextAttemptAtUtc:u}: {Reason}", message.Id, attempts, next, reason);
        }
    }

    private static async Task<SmtpClient> ConnectAsync(SmtpSettings smtp, CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        try
        {
            var security = !smtp.UseTls ? SecureSocketOptions.StartTlsWhenAvailable
                : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
                : SecureSocketOptions.StartTls;
            await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.User))
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static MimeMessage Compose(SmtpSettings smtp, EmailOutboxMessage message)
    {
        var mime = new MimeMessage { Subject = message.Subject, Body = new TextPart("plain") { Text = message.Body } };
        mime.From.Add(MailboxAddress.Parse(smtp.From!));
        mime.To.Add(MailboxAddress.Parse(message.ToAddress));

        // Tells auto-responders (RFC 3834) not to answer a machine.
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        return mime;
    }

    private static bool IsSendFailure(Exception e) =>
        e is IOException or SocketException or TimeoutException or OperationCanceledException or AuthenticationException
            or MailKit.ProtocolException or CommandException or SslHandshakeException or ParseException or FormatException;

    /// <summary>What went wrong, in words that carry no address, no password and no text of the message.</summary>
    public static string Describe(Exception e)
    {
        var text = e switch
        {
            SmtpCommandException command => $"the server refused a command ({command.ErrorCode}, status {(int)command.StatusCode})",
            SmtpProtocolException => "the server broke the SMTP protocol",
            AuthenticationException => "the server refused the user name or password",
            SslHandshakeException => "the TLS handshake failed",
            SocketException socket => $"cannot reach the server ({socket.SocketErrorCode})",
            IOException { InnerException: SocketException socket } => $"the connection failed ({socket.SocketErrorCode})",
            TimeoutException or OperationCanceledException => "the server did not answer in time",
            NotSupportedException => "the server does not offer what the settings ask for (STARTTLS or authentication)",
            _ => $"{e.GetType().Name}",
        };
        return text.Length <= 500 ? text : text[..500];
    }
}

/// <summary>
/// Runs the sender every <see cref="EmailOptions.PollSeconds"/> while e-mail is on, on one node at a time
/// (<see cref="JobScheduler"/>): one SMTP connection for the cluster rather than one per node. The
/// per-message claims stay: they keep a run called directly, or one whose lease lapsed while it was
/// sending, from sending a message twice; each message is marked sent or failed on its own.
/// </summary>
public sealed class OutboxJob(OutboxSender sender, IOptions<EmailOptions> options) : IScheduledJob
{
    public string Name => "outbox";
    public bool Enabled => options.Value.Enabled;
    public JobSchedule Schedule => new JobSchedule.Every(TimeSpan.FromSeconds(options.Value.PollSeconds));

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        $"{await sender.RunOnceAsync(cancellationToken)} e-mail(s) sent";
}
