namespace InfraTerra.Web.Infrastructure.SharedState;

/// <summary>
/// This process's name among the nodes (<c>Node:Name</c>, else the host name and process id): held
/// in job leases and shown in logs and metrics, so an operator can tell which node ran what.
/// </summary>
public sealed record NodeIdentity(string Name)
{
    public static NodeIdentity From(IConfiguration configuration)
    {
        var configured = configuration["Node:Name"];
        var name = string.IsNullOrWhiteSpace(configured) ? $"{Environment.MachineName}-{Environment.ProcessId}" : configured.Trim();
        return new NodeIdentity(name.Length > 100 ? name[..100] : name);
    }
}
