using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace InfraTerra.Tests.Support;

public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <summary>Everything a sink could write: rendered message, every property, exception text.</summary>
    public string AllText => string.Join("\n", _events.Select(e =>
        e.RenderMessage() + " " +
        string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}")) + " " +
        e.Exception));
}
