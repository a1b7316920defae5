using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Features.Admin;

/// <summary>The roles and desks fields an administrator fills in, shared by the create and the account pages.</summary>
public class RoleChoice
{
    public bool Officer { get; set; }
    public bool Supervisor { get; set; }
    public bool Administrator { get; set; }

    public IReadOnlyList<string> Selected() =>
        [.. new[] { (Administrator, Roles.Administrator), (Supervisor, Roles.Supervisor), (Officer, Roles.Officer) }
            .Where(r => r.Item1).Select(r => r.Item2)];

    public void Set(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        Officer = set.Contains(Roles.Officer);
        Supervisor = set.Contains(Roles.Supervisor);
        Administrator = set.Contains(Roles.Administrator);
    }
}
