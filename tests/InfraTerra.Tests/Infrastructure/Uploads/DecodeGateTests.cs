using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Uploads;

namespace InfraTerra.Tests.Infrastructure.Uploads;

/// <summary>How files wait to be decoded: without holding a thread, in a bounded line, one post per client.</summary>
public sealed class DecodeGateTests
{
    [Fact]
    public async Task Waiting_HoldsNoThread_AndTheLineIsServedInOrder()
    {
        using var gate = new DecodeGate(slots: 1, queueLimit: 50);
        var first = await gate.EnterAsync(CancellationToken.None);

        // Fifty waiters return at once as pending tasks: none of them blocks the calling thread.
        var waiting = Enumerable.Range(0, 50).Select(_ => gate.EnterAsync(CancellationToken.None).AsTask()).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        first.Dispose();
        for (var i = 0; i < waiting.Count; i++)
        {
            var slot = await waiting[i].WaitAsync(TimeSpan.FromSeconds(10));
            Assert.All(waiting.Skip(i + 1), w => Assert.False(w.IsCompleted));
            slot.Dispose();
        }

        Assert.Equal(1, gate.Available);
    }

    [Fact]
    public async Task AFullLine_IsTurnedAway_InsteadOfWaiting()
    {
        using var gate = new DecodeGate(slots: 1, queueLimit: 2);
        using var held = await gate.EnterAsync(CancellationToken.None);
        var queued = new[] { gate.EnterAsync(CancellationToken.None).AsTask(), gate.EnterAsync(CancellationToken.None).AsTask() };

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<UploadsBusyException>(async () => await gate.EnterAsync(patience.Token));
        Assert.All(queued, q => Assert.False(q.IsCompleted));
    }

    [Fact]
    public async Task OneClient_DecodesOnePostAtATime_OthersAreNotHeldBack()
    {
        var turns = new ClientDecodeTurns(TimeSpan.FromSeconds(30));
        var first = await turns.EnterAsync("client-a", CancellationToken.None);

        var second = turns.EnterAsync("client-a", CancellationToken.None);
        using (await turns.EnterAsync("client-b", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)))
        {
            await Task.Delay(100);
            Assert.False(second.IsCompleted);
        }

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.Equal(0, turns.Clients);
    }

    [Fact]
    public async Task AClientsSecondPost_WaitsABoundedTime_ThenIsTurnedAway()
    {
        var turns = new ClientDecodeTurns(TimeSpan.FromMilliseconds(200));
        using var first = await turns.EnterAsync("client-a", CancellationToken.None);

        await Assert.ThrowsAsync<UploadsBusyException>(() => turns.EnterAsync("client-a", CancellationToken.None));
        Assert.Equal(1, turns.Clients);
    }
}
