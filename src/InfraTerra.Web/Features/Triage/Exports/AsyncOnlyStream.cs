namespace InfraTerra.Web.Features.Triage.Exports;

/// <summary>
/// Lets <see cref="System.IO.Compression.ZipArchive"/> write to a response, which refuses synchronous
/// writes: the archive writes its headers and descriptors synchronously even through its async API.
/// Those small synchronous writes are held in memory and sent, in order, before the next asynchronous
/// write or at <see cref="FlushAsync(CancellationToken)"/>; the entries' content passes straight
/// through. What is held is capped, so a change in the archive's behaviour cannot make it buffer a
/// whole file.
/// </summary>
public sealed class AsyncOnlyStream(Stream destination, int maxPending = 1024 * 1024) : Stream
{
    private readonly MemoryStream _pending = new();
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_pending.Length + buffer.Length > maxPending)
        {
            throw new InvalidOperationException("Too much was written synchronously to a streamed response.");
        }

        _pending.Write(buffer);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken);
        await destination.WriteAsync(buffer, cancellationToken);
        _written += buffer.Length;
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await destination.FlushAsync(cancellationToken);
    }

    /// <summary>Synchronous flushes leave the held bytes for the next asynchronous write.</summary>
    public override void Flush()
    {
    }

    public override async ValueTask DisposeAsync()
    {
        await DrainAsync(CancellationToken.None);
        await base.DisposeAsync();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        await destination.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken);
        _pending.SetLength(0);
    }
}
