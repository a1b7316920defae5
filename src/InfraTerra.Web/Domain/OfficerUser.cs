using Microsoft.AspNetCore.Identity;

namespace InfraTerra.Web.Domain;

public class OfficerUser : IdentityUser
{
    /// <summary>Set for the one-time password printed by <c>create-user</c>.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>Set by an administrator: the account cannot sign in, and open sessions end.</summary>
    public DateTime? DisabledAtUtc { get; set; }
}

public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Supervisor = "Supervisor";
    public const string Officer = "Officer";

    public static readonly string[] All = [Administrator, Supervisor, Officer];
}
