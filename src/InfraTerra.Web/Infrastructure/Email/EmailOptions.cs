using Microsoft.Extensions.Options;
using MimeKit;

namespace InfraTerra.Web.Infrastructure.Email;

/// <summary>
/// The <c>Email</c> configuration section. E-mail is off while <c>Email:Smtp:Host</c> is empty: then
/// nothing is put in the outbox at all, so that turning it on later does not send a backlog of stale
/// notices. The password comes from a secret file (<c>Email__Smtp__Password</c>) or the environment.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>
    /// Where officers open the portal (<c>https://triage.example.org</c>), for the link in an e-mail.
    /// Falls back to <c>Site:PublicBaseUrl</c>; never taken from a request's Host header.
    /// </summary>
    public string? LinkBaseUrl { get; set; }

    /// <summary>After this many failed attempts a message is given up (and a warning logged).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How often the sender looks for due messages.</summary>
    public int PollSeconds { get; set; } = 15;

    /// <summary>How many messages one run of the sender takes at most.</summary>
    public int BatchSize { get; set; } = 20;

    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host);
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>
    /// True (the default): TLS is required, by STARTTLS, or from the first byte on port 465. False:
    /// STARTTLS when the server offers it, plain otherwise (a relay on the same host or network).
    /// </summary>
    public bool UseTls { get; set; } = true;

    public string? User { get; set; }
    public string? Password { get; set; }
    public string? From { get; set; }
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>Refuses to start with e-mail half configured, naming the setting to fix.</summary>
public sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();
        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add("Email:MaxAttempts must be between 1 and 100.");
        }

        if (options.PollSeconds is < 1 or > 3600)
        {
            errors.Add("Email:PollSeconds must be between 1 and 3600.");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            errors.Add("Email:BatchSize must be between 1 and 1000.");
        }

        if (!string.IsNullOrWhiteSpace(options.LinkBaseUrl)
            && !(Uri.TryCreate(options.LinkBaseUrl, UriKind.Absolute, out var link) && (link.Scheme == Uri.UriSchemeHttps || link.Scheme == Uri.UriSchemeHttp)))
        {
            errors.Add("Email:LinkBaseUrl must be an absolute http(s) address, such as https://triage.example.org.");
        }

        if (options.Enabled)
        {
            if (options.Smtp.Port is < 1 or > 65535)
            {
                errors.Add("Email:Smtp:Port must be between 1 and 65535.");
            }

            if (options.Smtp.TimeoutSeconds is < 1 or > 600)
            {
                errors.Add("Email:Smtp:TimeoutSeconds must be between 1 and 600.");
            }

            if (string.IsNullOrWhiteSpace(options.Smtp.From) || !MailboxAddress.TryParse(options.Smtp.From, out _))
            {
                errors.Add("Email:Smtp:From must be an e-mail address (such as InfraTerra <noreply@example.org>) when Email:Smtp:Host is set.");
            }

            if (!string.IsNullOrEmpty(options.Smtp.User) && string.IsNullOrEmpty(options.Smtp.Password))
            {
                errors.Add("Email:Smtp:Password is missing for Email:Smtp:User (give it as a secret file Email__Smtp__Password or in the environment).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
