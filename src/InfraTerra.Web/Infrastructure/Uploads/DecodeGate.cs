namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>
/// Limits how many images are decoded at once across the process: a 40-megapixel photo needs
/// about 160 MB per bitmap, so parallel uploads could otherwise exhaust memory. Waiting is fine.
/// </summary>
public sealed class DecodeGate(int slots)
{
    public static DecodeGate Shared { get; } = new(2);

    private readonly SemaphoreSlim _free = new(slots, slots);

    public int Available => _free.CurrentCount;

    public Slot Enter()
    {
        _free.Wait();
        return new Slot(_free);
    }

    public readonly struct Slot(SemaphoreSlim free) : IDisposable
    {
        public void Dispose() => free.Release();
    }
}
