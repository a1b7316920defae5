using System.IO.Compression;
using System.Security.Cryptography;
using InfraTerra.Web.Features.Triage.Exports;

namespace InfraTerra.Tests.Triage.Exports;

public sealed class AsyncOnlyStreamTests
{
    [Fact]
    public async Task AZipOfLargeEntries_ReachesADestinationThatRefusesSynchronousWrites_HoldingLittleInMemory()
    {
        var destination = new AsyncWritesOnly();
        var large = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);

        await using (var output = new AsyncOnlyStream(destination, maxPending: 64 * 1024))
        {
            await using (var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null))
            {
                foreach (var name in new[] { "a.bin", "b.bin" })
                {
                    var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                    await using var stream = await entry.OpenAsync();
                    await stream.WriteAsync(large);
                }
            }

            await output.FlushAsync();
        }

        using var read = new ZipArchive(new MemoryStream(destination.ToArray()), ZipArchiveMode.Read);
        Assert.Equal(["a.bin", "b.bin"], read.Entries.Select(e => e.FullName));
        await using var copy = new MemoryStream();
        await using (var entryStream = await read.GetEntry("b.bin")!.OpenAsync())
        {
            await entryStream.CopyToAsync(copy);
        }

        Assert.Equal(large, copy.ToArray());
    }

    /// <summary>A destination like a response body: asynchronous writes only.</summary>
    private sealed class AsyncWritesOnly : Stream
    {
        private readonly MemoryStream _bytes = new();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public byte[] ToArray() => _bytes.ToArray();

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous write.");

        public override void Flush() => throw new InvalidOperationException("Synchronous flush.");

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _bytes.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
