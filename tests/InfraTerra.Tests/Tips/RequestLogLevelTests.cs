using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Serilog.Events;

namespace InfraTerra.Tests.Tips;

/// <summary>A successful request is a Debug event; errors and slow requests stay in the log at the default level.</summary>
public sealed class RequestLogLevelTests
{
    [Fact]
    public void Level_IsDebugForSuccess_ErrorFor5xxOrException_WarningWhenSlow()
    {
        var level = RequestLog.LevelFor(new ConfigurationBuilder().Build());
        var custom = RequestLog.LevelFor(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [RequestLog.SlowMillisecondsSetting] = "50" }).Build());

        Assert.Equal(LogEventLevel.Debug, level(Responded(200), 12, null));
        Assert.Equal(LogEventLevel.Debug, level(Responded(404), 12, null));
        Assert.Equal(LogEventLevel.Error, level(Responded(503), 12, null));
        Assert.Equal(LogEventLevel.Error, level(Responded(200), 12, new InvalidOperationException()));
        Assert.Equal(LogEventLevel.Warning, level(Responded(200), 1000, null));
        Assert.Equal(LogEventLevel.Debug, level(Responded(200), 60, null));
        Assert.Equal(LogEventLevel.Warning, custom(Responded(200), 60, null));
    }

    [Fact]
    public async Task AtInformation_ASuccessfulGetIsNotLogged_ASlowOneIs()
    {
        using var quiet = new AppFactory(new() { ["Serilog:MinimumLevel:Default"] = "Information" });
        using var everySlow = new AppFactory(new() { ["Serilog:MinimumLevel:Default"] = "Information", [RequestLog.SlowMillisecondsSetting] = "0" });

        Assert.Equal(HttpStatusCode.OK, (await quiet.CreateClient().GetAsync("/tips/new")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await everySlow.CreateClient().GetAsync("/tips/new")).StatusCode);

        Assert.DoesNotContain(quiet.Logs.Events, e => e.Properties.ContainsKey("RequestMethod"));
        var slow = Assert.Single(everySlow.Logs.Events, e => e.Properties.ContainsKey("RequestMethod") && e.RenderMessage().Contains("/tips/new", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Warning, slow.Level);
    }

    private static DefaultHttpContext Responded(int status)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        return context;
    }
}
