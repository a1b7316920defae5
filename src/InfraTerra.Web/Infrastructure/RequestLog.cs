using InfraTerra.Web.Infrastructure.Forms;
using Serilog;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// The request log writes no event for a post of a public form: its time, next to a reverse
/// proxy's log of addresses, would name the tipster. Errors during such a post are still logged
/// by whoever handles them.
/// </summary>
public static class RequestLog
{
    private const string PublicFormPostProperty = "PublicFormPost";

    public static Serilog.ILogger WithoutPublicFormPosts(Serilog.ILogger logger) =>
        new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Filter.ByExcluding(e => e.Properties.ContainsKey(PublicFormPostProperty))
            .WriteTo.Logger(logger)
            .CreateLogger();

    /// <summary>Runs just before the request's event is written, so the filter above can drop it.</summary>
    public static void MarkPublicFormPosts(IDiagnosticContext diagnostics, HttpContext context)
    {
        if (PublicFormPost.IsPublicFormPost(context))
        {
            diagnostics.Set(PublicFormPostProperty, true);
        }
    }
}
