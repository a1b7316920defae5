using InfraTerra.Web.Infrastructure.Uploads;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// One post with files per client is inspected at a time, so one client cannot hold every decode
/// slot with parallel posts. A second post waits its turn (a double click does), up to
/// <see cref="MaxWait"/>; after that it is turned away like a full decode queue. Clients are told
/// apart by <see cref="ClientKeys"/>; an entry lives only while a post of that client is here.
/// </summary>
public sealed class ClientDecodeTurns(TimeSpan maxWait)
{
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Turn> _turns = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ClientDecodeTurns()
        : this(DefaultMaxWait)
    {
    }

    public TimeSpan MaxWait { get; } = maxWait;

    /// <summary>Clients with a post being inspected or waiting: memory stays bounded by the posts in flight.</summary>
    public int Clients
    {
        get
        {
            lock (_lock)
            {
                return _turns.Count;
            }
        }
    }

    /// <exception cref="UploadsBusyException">The client's earlier post did not finish within <see cref="MaxWait"/>.</exception>
    public async Task<IDisposable> EnterAsync(string client, CancellationToken cancellationToken)
    {
        Turn turn;
        lock (_lock)
        {
            if (!_turns.TryGetValue(client, out turn!))
            {
                turn = new Turn();
                _turns[client] = turn;
            }

            turn.Users++;
        }

        var entered = false;
        try
        {
            entered = await turn.Gate.WaitAsync(MaxWait, cancellationToken);
        }
        finally
        {
            if (!entered)
            {
                Leave(client, turn, release: false);
            }
        }

        return entered ? new Held(this, client, turn) : throw new UploadsBusyException();
    }

    private void Leave(string client, Turn turn, bool release)
    {
        lock (_lock)
        {
            if (release)
            {
                turn.Gate.Release();
            }

            if (--turn.Users == 0)
            {
                _turns.Remove(client);
                turn.Gate.Dispose();
            }
        }
    }

    private sealed class Turn
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Held(ClientDecodeTurns owner, string client, Turn turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Leave(client, turn, release: true);
            }
        }
    }
}
