using Serilog;

namespace InfraTerra.Web.Infrastructure;

public static class AppLogging
{
    /// <summary>
    /// The logger lives in DI, not in the static Log.Logger, so two app instances in one process
    /// (tests, operator commands) never write into each other's sinks.
    /// </summary>
    public static IServiceCollection AddAppLogging(this IServiceCollection services) =>
        services.AddSerilog(
            (sp, logger) => logger
                .ReadFrom.Configuration(sp.GetRequiredService<IConfiguration>())
                .ReadFrom.Services(sp)
                .Enrich.FromLogContext(),
            preserveStaticLogger: true);

    public static WebApplication UseRequestLog(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = RequestLog.WithoutPublicFormPosts(app.Services.GetRequiredService<Serilog.ILogger>());
            o.EnrichDiagnosticContext = RequestLog.MarkPublicFormPosts;
            o.GetLevel = RequestLog.LevelFor(app.Configuration);
            // Method, path, status and timing only: never the client's address, user agent or query.
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        });
        return app;
    }
}
