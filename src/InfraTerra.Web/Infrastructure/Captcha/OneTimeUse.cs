using System.Security.Cryptography;
using System.Text;
using InfraTerra.Web.Infrastructure.Crypto;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// One solved check, one form: a solution is claimed by the form (its idempotency key) that first
/// passes with it, atomically across every node (<see cref="ICheckClaims"/>: Redis when configured,
/// else the database), so parallel requests cannot share it; a double click or a retry of that same
/// form (after a 503 or a 429, which keep its key) still passes.
/// <para>
/// What is handed to the shared store is a hash of the check's kind and nonce and a keyed hash of the
/// form's key (under a key derived from the tip lookup key, which every node shares): the form's key
/// itself derives the receipt's key and never leaves the node.
/// </para>
/// <para>
/// Holders already learnt are remembered in this node's memory until they expire, as a cheap front:
/// a solution replayed on the node that saw it is refused without a round trip. A claim never
/// changes holder before it expires, so what is remembered stays true. At most <see cref="Capacity"/>
/// are remembered, forgotten oldest first; a forgotten one is simply asked of the store again.
/// </para>
/// </summary>
public sealed class OneTimeUse(TipKeys keys, ICheckClaims shared, TimeProvider clock, int capacity = OneTimeUse.DefaultCapacity)
{
    public const int DefaultCapacity = 50_000;

    private readonly byte[] _ownerKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.LookupKey, 32, info: Encoding.ASCII.GetBytes("check-claim-owner"));
    private readonly Dictionary<string, (string Holder, DateTimeOffset Expires)> _known = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset Expires, string Id)> _order = new();
    private readonly Lock _lock = new();

    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Holders remembered by this node.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _known.Count;
            }
        }
    }

    /// <summary>Who holds the check: lets a costly verification be skipped for a claimed one.</summary>
    public async Task<ClaimHolder> HolderOfAsync(string kind, string nonce, string form, CancellationToken cancellationToken)
    {
        var id = Id(kind, nonce);
        var holder = Remembered(id) ?? await shared.HolderOfAsync(id, cancellationToken);
        return holder is null ? ClaimHolder.Nobody : holder == Owner(form) ? ClaimHolder.ThisForm : ClaimHolder.AnotherForm;
    }

    /// <summary>True when <paramref name="form"/> holds the check afterwards (now or since an earlier try).</summary>
    public async Task<bool> TryClaimAsync(string kind, string nonce, string form, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var id = Id(kind, nonce);
        var owner = Owner(form);
        if (Remembered(id) is { } known)
        {
            return known == owner;
        }

        var holder = await shared.ClaimAsync(id, owner, expires, cancellationToken);
        Remember(id, holder, expires);
        return holder == owner;
    }

    /// <summary>The claim's id: SHA-256 of the kind and the check's public nonce.</summary>
    public static string Id(string kind, string nonce) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + nonce)));

    private string Owner(string form) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_ownerKey, Encoding.UTF8.GetBytes(form)));

    private string? Remembered(string id)
    {
        lock (_lock)
        {
            ForgetExpired();
            return _known.TryGetValue(id, out var known) && known.Expires >= clock.GetUtcNow() ? known.Holder : null;
        }
    }

    private void Remember(string id, string holder, DateTimeOffset expires)
    {
        lock (_lock)
        {
            ForgetExpired();
            if (_known.ContainsKey(id))
            {
                return;
            }

            if (_known.Count >= Capacity)
            {
                _known.Remove(_order.Dequeue().Id);
            }

            _known[id] = (holder, expires);
            _order.Enqueue((expires, id));
        }
    }

    private void ForgetExpired()
    {
        var now = clock.GetUtcNow();
        // Each remembered id has exactly one entry in the queue, so dequeuing one forgets one.
        while (_order.TryPeek(out var oldest) && oldest.Expires < now)
        {
            _known.Remove(_order.Dequeue().Id);
        }
    }
}

public enum ClaimHolder
{
    Nobody,
    ThisForm,
    AnotherForm,
}
