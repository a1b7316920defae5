using System.Diagnostics.Metrics;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Telemetry;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Operations;

public sealed class CacheLookupCountingTests
{
    [SkippableFact]
    public async Task TheRedisOutputCacheStore_RegisteredLast_IsCounted_AndKeepsItsPipePath()
    {
        var redis = RealParts.RequireRedis();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<AppMetrics>()
            .AddOutputCache();
        services.AddStackExchangeRedisOutputCache(o =>
        {
            o.Configuration = redis;
            o.InstanceName = $"infraterra-test-{Guid.NewGuid():N}:";
        });
        services.CountOutputCacheLookups();
        await using var provider = services.BuildServiceProvider();
        var results = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "infraterra.output_cache.lookups" && instrument.Meter.Scope == provider.GetRequiredService<IMeterFactory>())
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => results.Add((string)tags[0].Value!));
        var store = provider.GetRequiredService<IOutputCacheStore>();
        listener.Start();

        Assert.IsAssignableFrom<IOutputCacheBufferStore>(store);
        Assert.Null(await store.GetAsync("page", CancellationToken.None));
        await store.SetAsync("page", [1, 2, 3], ["notices"], TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal([1, 2, 3], await store.GetAsync("page", CancellationToken.None));

        Assert.Equal(["miss", "hit"], results);
    }
}
