using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace InfraTerra.Tests.Support;

/// <summary>
/// A real SMTP server (SmtpServer) on a loopback port, inside the test: it keeps every message that
/// arrives, parsed, so a test reads what the app really sent over the wire.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private SmtpServer.SmtpServer? _server;
    private Task _running = Task.CompletedTask;

    private SmtpSink(int port) => Port = port;

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    /// <summary>A loopback port nobody listens on (now): where a server can start later, or stay down.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts a server on <paramref name="port"/> (a free one if not given) and returns once it accepts connections.</summary>
    public static SmtpSink Start(int? port = null)
    {
        var sink = new SmtpSink(port ?? FreePort());
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, sink.Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(sink._messages));
        sink._server = new SmtpServer.SmtpServer(options, services);
        sink._running = sink._server.StartAsync(sink._stop.Token);
        sink.WaitUntilListening();
        return sink;
    }

    /// <summary>Waits until <paramref name="count"/> messages arrived (or fails after <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (_messages.Count < count)
        {
            Assert.True(DateTime.UtcNow < until, $"Expected {count} e-mail(s), {_messages.Count} arrived.");
            await Task.Delay(20);
        }

        return Messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server?.Shutdown();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException)
        {
        }

        _stop.Dispose();
    }

    private void WaitUntilListening()
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(20);
            }
        }
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
