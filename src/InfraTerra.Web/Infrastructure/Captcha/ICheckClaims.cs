namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// Where solved checks are claimed so that every node agrees (<see cref="OneTimeUse"/> hashes what
/// it hands over): <see cref="RedisCheckClaims"/> when Redis is configured, else
/// <see cref="DatabaseCheckClaims"/>. Both see only a hash of the check's nonce and a keyed hash of
/// the form's key, never the key itself (it derives the receipt's key).
/// </summary>
public interface ICheckClaims
{
    /// <summary>
    /// How long a claim is kept after its check expired. Each node judges a check's expiry by its own
    /// clock, and another node (or Redis) decides when the claim goes: without this margin a node whose
    /// clock is behind would still accept a check whose claim was already gone, and let it serve a
    /// second form. Clocks that differ by less than this in all are safe.
    /// </summary>
    static readonly TimeSpan KeptAfterExpiry = TimeSpan.FromMinutes(10);

    /// <summary>The owner hash holding <paramref name="id"/>, if a claim that has not expired holds it.</summary>
    Task<string?> HolderOfAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Claims <paramref name="id"/> for <paramref name="owner"/> until <paramref name="expires"/>, atomically
    /// across nodes; answers the holder afterwards (<paramref name="owner"/> when this call or an earlier
    /// one by the same owner won). Throws when the store cannot be reached: nothing passes unclaimed.
    /// </summary>
    Task<string> ClaimAsync(string id, string owner, DateTimeOffset expires, CancellationToken cancellationToken);
}
