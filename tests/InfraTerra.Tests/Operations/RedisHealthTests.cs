using System.Net;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Operations;

public sealed class RedisHealthTests
{
    [SkippableFact]
    public async Task Ready_IsHealthy_WhenRedisAnswers()
    {
        using var factory = new AppFactory(Settings(RealParts.RequireRedis()));
        var client = factory.CreateClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task Ready_IsUnhealthy_WhenRedisDoesNotAnswer_WhilePublicPagesStillDo()
    {
        using var factory = new AppFactory(Settings($"127.0.0.1:{ClosedPort()},connectTimeout=500"));
        var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/notices")).StatusCode);
    }

    private static Dictionary<string, string?> Settings(string redis) => new()
    {
        ["ConnectionStrings:Redis"] = redis,
        ["Redis:InstanceName"] = $"infraterra-test-{Guid.NewGuid():N}:",
    };

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
