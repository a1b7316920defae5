using System.Net;
using InfraTerra.Tests.Support;
using Serilog.Events;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// A public form's post leaves no request-log event: its time, next to a reverse proxy's access
/// log, would name the tipster. Pages read and officers' posts are still logged.
/// </summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task TipAndFollowUpPosts_WriteNoRequestLogEvent_WhileGetsAndOfficerPostsStillDo()
    {
        using var factory = new AppFactory();
        var client = Clients.New(factory);

        var (tip, _) = await TipForms.SubmitAsync(client, "/tips/new?notice=2014-90003", f => f["Input.Description"] = "Seen at the harbour.");
        var receipt = await TipForms.ReceiptAsync(client, tip);
        var (french, _) = await TipForms.SubmitAsync(client, "/fr/tips/new", f => f["Input.Description"] = "Vu au port.");
        var lookup = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/follow-up")));
        lookup["Receipt"] = receipt;
        var followUp = await client.PostAsync("/tips/follow-up?handler=Open", new FormUrlEncodedContent(lookup));
        var login = await Officers.SubmitPasswordAsync(Clients.New(factory), "nobody@example.org", "not the password");

        Assert.Equal(HttpStatusCode.Redirect, french.StatusCode);
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var requests = factory.Logs.Events.Where(e => e.Properties.ContainsKey("RequestMethod")).Select(Describe).ToList();
        Assert.Contains("GET /tips/new", requests);
        Assert.Contains("GET /tips/follow-up", requests);
        Assert.Contains("POST /account/login", requests);
        Assert.DoesNotContain(requests, r => r.StartsWith("POST", StringComparison.Ordinal) && r.Contains("/tips", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Events, e => e.RenderMessage().Contains("POST", StringComparison.Ordinal) && e.RenderMessage().Contains("/tips", StringComparison.Ordinal));
    }

    private static string Describe(LogEvent e) =>
        $"{Text(e, "RequestMethod")} {Text(e, "RequestPath")}";

    private static string Text(LogEvent e, string property) =>
        e.Properties[property] is ScalarValue { Value: string value } ? value : e.Properties[property].ToString();
}
