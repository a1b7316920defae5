namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// One solved check, one form: a solution is claimed by the form (its idempotency key) that first
/// passes with it, atomically, so parallel requests cannot share it; a double click or a retry of
/// that same form (after a 503 or a 429, which keep its key) still passes. Held in memory: on
/// several nodes a bot could reuse a solution once per node, which the hourly limit bounds.
/// <para>
/// Claims are forgotten in the order they were made, once the front one has expired, so a claim
/// costs O(1) amortized whatever the number held. At most <see cref="Capacity"/> are held: past
/// that the oldest is forgotten early (its solution could then serve a second form, which the
/// hourly limits still count), so a flood of solved checks cannot grow memory without end.
/// </para>
/// </summary>
public sealed class OneTimeUse(TimeProvider clock, int capacity = OneTimeUse.DefaultCapacity)
{
    public const int DefaultCapacity = 50_000;

    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset Expires, string Id)> _order = new();
    private readonly Lock _lock = new();

    public int Capacity { get; } = Math.Max(1, capacity);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _owners.Count;
            }
        }
    }

    /// <summary>The owner that claimed <paramref name="id"/>, if any: lets a costly check be skipped for a claimed id.</summary>
    public string? HolderOf(string id)
    {
        lock (_lock)
        {
            ForgetExpired();
            return _owners.GetValueOrDefault(id);
        }
    }

    public bool TryClaim(string id, string owner, DateTimeOffset expires)
    {
        lock (_lock)
        {
            ForgetExpired();
            if (_owners.TryGetValue(id, out var holder))
            {
                return holder == owner;
            }

            if (_owners.Count >= Capacity)
            {
                _owners.Remove(_order.Dequeue().Id);
            }

            _owners[id] = owner;
            _order.Enqueue((expires, id));
            return true;
        }
    }

    private void ForgetExpired()
    {
        var now = clock.GetUtcNow();
        // Each held id has exactly one entry in the queue, so dequeuing one forgets one.
        while (_order.TryPeek(out var oldest) && oldest.Expires < now)
        {
            _owners.Remove(_order.Dequeue().Id);
        }
    }
}
