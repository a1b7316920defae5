using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Triage.Notices;

/// <summary>A Supervisor's hands on the notice pages, as a browser without JavaScript uses them.</summary>
public static class NoticeDesk
{
    public static async Task<HttpClient> SupervisorAsync(AppFactory factory, string name) =>
        (await Officers.EnrolAsync(factory, $"{name}-{Guid.NewGuid().ToString("N")[..8]}@example.org", Roles.Supervisor)).Client;

    /// <summary>A unique family name that the public search can find and no sample shares.</summary>
    public static string UniqueName(string stem) =>
        stem + new string([.. Guid.NewGuid().ToString("N")[..6].Select(c => (char)('a' + (c % 26)))]);

    /// <summary>Fills the new-notice form with a valid notice (Kenyan warrant) and lets <paramref name="fill"/> change it.</summary>
    public static async Task<HttpResponseMessage> PostNewAsync(HttpClient client, string familyName, Action<Dictionary<string, string>>? fill = null)
    {
        var page = await client.GetAsync("/triage/notices/new");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = Html.FormFields(await Html.ParseAsync(page), "form#notice-form");
        fields["Input.FamilyName"] = familyName;
        fields["Input.Forenames"] = "Amara Jo";
        fields["Input.Aliases"] = "The Ferryman";
        fields["Input.Sex"] = "Female";
        fields["Input.Nationalities"] = "KE, tz";
        fields["Input.Categories"] = "Wildlife";
        fields["Input.Summary"] = "SAMPLE DATA. Accused of moving ivory through a river port.";
        fields["Input.Caution"] = "May be armed.";
        fields["Input.Warrants[0].IssuingCountry"] = "KE";
        fields["Input.Warrants[0].Charge"] = "Trafficking in ivory";
        fields["Input.Translations[1].Summary"] = "DONNÉES D'EXEMPLE. Accusée de faire passer de l'ivoire par un port fluvial.";
        fill?.Invoke(fields);
        return await client.PostAsync("/triage/notices/new", new FormUrlEncodedContent(fields));
    }

    /// <summary>Creates a valid notice and returns its reference.</summary>
    public static async Task<string> CreateAsync(HttpClient client, string familyName, Action<Dictionary<string, string>>? fill = null)
    {
        var response = await PostNewAsync(client, familyName, fill);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/triage/notices/[0-9]{4}-[0-9]{5}/edit$", location);
        return location.Split('/')[3];
    }

    public static async Task<Dictionary<string, string>> FormAsync(HttpClient client, string reference, string formId)
    {
        var page = await client.GetAsync($"/triage/notices/{reference}/edit");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return Html.FormFields(await Html.ParseAsync(page), $"form#{formId}");
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string reference, string? handler, Dictionary<string, string> fields) =>
        client.PostAsync($"/triage/notices/{reference}/edit{(handler is null ? "" : "?handler=" + handler)}", new FormUrlEncodedContent(fields));

    public static async Task PublishAsync(HttpClient client, string reference)
    {
        var response = await PostAsync(client, reference, "Publish", await FormAsync(client, reference, "publish-form"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public static async Task<HttpResponseMessage> SetStatusAsync(HttpClient client, string reference, NoticeStatus status)
    {
        var fields = await FormAsync(client, reference, "status-form");
        fields["NewStatus"] = status.ToString();
        return await PostAsync(client, reference, "Status", fields);
    }
}
