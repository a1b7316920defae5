using System.Threading.RateLimiting;

namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>
/// Limits how many files are inspected (images decoded) at once across the process: a 40-megapixel
/// photo needs about 160 MB per bitmap, so parallel uploads could otherwise exhaust memory. Waiting
/// is asynchronous, so a waiting upload holds no thread, and the line is bounded: past
/// <c>Uploads:DecodeQueueLimit</c> waiting files the post is turned away (<see cref="UploadsBusyException"/>,
/// a 503 with the text kept) rather than piling up behind a flood.
/// </summary>
public sealed class DecodeGate : IDisposable
{
    public const int DefaultSlots = 2;
    public const int DefaultQueueLimit = 16;

    private readonly ConcurrencyLimiter _limiter;

    public DecodeGate(int slots = DefaultSlots, int queueLimit = DefaultQueueLimit)
    {
        Slots = Math.Max(1, slots);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Slots,
            QueueLimit = Math.Max(0, queueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int Slots { get; }

    public int Available => (int)(_limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);

    public static DecodeGate From(IConfiguration configuration) => new(
        configuration.GetValue("Uploads:DecodeSlots", DefaultSlots),
        configuration.GetValue("Uploads:DecodeQueueLimit", DefaultQueueLimit));

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    /// <exception cref="UploadsBusyException">The line of waiting files is full.</exception>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new UploadsBusyException();
        }

        return lease;
    }

    public void Dispose() => _limiter.Dispose();
}
