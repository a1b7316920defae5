using InfraTerra.Web.Infrastructure.Forms;
using Serilog;
using Serilog.Events;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// The request log writes no event for a post of a public form: its time, next to a reverse
/// proxy's log of addresses, would name the tipster. Errors during such a post are still logged
/// by whoever handles them. Of the other requests, only errors (Error) and slow ones (Warning)
/// are logged at the default level; a successful request is a Debug event, which costs nothing
/// when Debug is off.
/// </summary>
public static class RequestLog
{
    public const string SlowMillisecondsSetting = "RequestLog:SlowMilliseconds";
    public const double DefaultSlowMilliseconds = 1000;

    private const string PublicFormPostProperty = "PublicFormPost";

    public static Serilog.ILogger WithoutPublicFormPosts(Serilog.ILogger logger) =>
        new LoggerConfiguration()
            // The lowest level the app's logger takes, so that the middleware's IsEnabled check skips
            // a Debug event before building it when Debug is off.
            .MinimumLevel.Is(Enum.GetValues<LogEventLevel>().FirstOrDefault(logger.IsEnabled, LogEventLevel.Fatal))
            .Filter.ByExcluding(e => e.Properties.ContainsKey(PublicFormPostProperty))
            .WriteTo.Logger(logger)
            .CreateLogger();

    public static Func<HttpContext, double, Exception?, LogEventLevel> LevelFor(IConfiguration configuration)
    {
        var slow = configuration.GetValue(SlowMillisecondsSetting, DefaultSlowMilliseconds);
        return (context, elapsedMilliseconds, exception) =>
            exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
            : elapsedMilliseconds >= slow ? LogEventLevel.Warning
            : LogEventLevel.Debug;
    }

    /// <summary>Runs just before the request's event is written, so the filter above can drop it.</summary>
    public static void MarkPublicFormPosts(IDiagnosticContext diagnostics, HttpContext context)
    {
        if (PublicFormPost.IsPublicFormPost(context))
        {
            diagnostics.Set(PublicFormPostProperty, true);
        }
    }
}
