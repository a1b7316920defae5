using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace InfraTerra.Tests.Support;

/// <summary>A client as a browser without JavaScript: it keeps cookies and shows each redirect instead of following it.</summary>
public static class Clients
{
    public static HttpClient New(AppFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Opens the page, lets <paramref name="fill"/> change the form's fields, and posts them back.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Func<Dictionary<string, string>, Dictionary<string, string>> fill)
    {
        var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = fill(Html.FormFields(await Html.ParseAsync(page)));
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }
}
