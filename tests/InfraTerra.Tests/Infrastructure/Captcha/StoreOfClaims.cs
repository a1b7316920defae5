using InfraTerra.Web.Infrastructure.Captcha;

namespace InfraTerra.Tests.Infrastructure.Captcha;

/// <summary>
/// The shared claims' contract held in a dictionary, for tests of what sits in front of it (the
/// check order, the node's memory); the real stores are tested on SQLite, PostgreSQL and Redis
/// (SharedState tests). Counts the calls that reach it and keeps what it was given.
/// </summary>
public sealed class StoreOfClaims(TimeProvider clock) : ICheckClaims
{
    private readonly Dictionary<string, (string Owner, DateTimeOffset Expires)> _claims = [];

    public int Calls { get; private set; }

    public IReadOnlyDictionary<string, (string Owner, DateTimeOffset Expires)> Claims => _claims;

    public Task<string?> HolderOfAsync(string id, CancellationToken cancellationToken)
    {
        lock (_claims)
        {
            Calls++;
            return Task.FromResult(_claims.TryGetValue(id, out var held) && held.Expires >= clock.GetUtcNow() ? held.Owner : null);
        }
    }

    public Task<string> ClaimAsync(string id, string owner, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        lock (_claims)
        {
            Calls++;
            if (_claims.TryGetValue(id, out var held) && held.Expires >= clock.GetUtcNow())
            {
                return Task.FromResult(held.Owner);
            }

            _claims[id] = (owner, expires);
            return Task.FromResult(owner);
        }
    }
}
