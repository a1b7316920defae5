namespace InfraTerra.Web.Infrastructure.Jobs;

/// <summary>The <c>Jobs</c> configuration section's keys for the scheduler itself and the anti-spam claims prune.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>How often each node looks for a due job, in seconds (1 to 3600).</summary>
    public int PollSeconds { get; set; } = 30;

    /// <summary>
    /// How long a node's hold on a running job lasts without renewal, in seconds (10 to 3600). The holder
    /// renews it every third of this while the job runs; a node that dies lets it lapse, and another node
    /// runs the job after at most this long.
    /// </summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Deletes the expired anti-spam check claims (<see cref="Domain.CheckClaim"/>).</summary>
    public bool ClaimsPruneEnabled { get; set; } = true;

    public int ClaimsPruneMinutes { get; set; } = 60;

    public TimeSpan Poll => TimeSpan.FromSeconds(PollSeconds);
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public string? Problem() =>
        PollSeconds is < 1 or > 3600 ? $"Jobs:PollSeconds must be a whole number of seconds from 1 to 3600 (it is {PollSeconds})."
        : LeaseSeconds is < 10 or > 3600 ? $"Jobs:LeaseSeconds must be a whole number of seconds from 10 to 3600 (it is {LeaseSeconds})."
        : ClaimsPruneMinutes is < 1 or > 1440 ? $"Jobs:ClaimsPruneMinutes must be between 1 and 1440 (it is {ClaimsPruneMinutes})."
        : null;
}
