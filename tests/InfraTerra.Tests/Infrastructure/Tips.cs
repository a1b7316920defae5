using System.Net;

namespace InfraTerra.Tests.Infrastructure;

public static class TipForms
{
    /// <summary>Opens the tip form, fills it in and posts it, as a browser without JavaScript would.</summary>
    public static async Task<(HttpResponseMessage Response, Dictionary<string, string> Fields)> SubmitAsync(
        HttpClient client, string path, Action<Dictionary<string, string>> fill)
    {
        var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = Html.FormFields(await Html.ParseAsync(page));
        fill(fields);
        var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        return (response, fields);
    }

    public static async Task<string> ReceiptAsync(HttpClient client, HttpResponseMessage postResponse)
    {
        Assert.Equal(HttpStatusCode.Redirect, postResponse.StatusCode);
        Assert.Equal("/tips/receipt", postResponse.Headers.Location?.OriginalString);
        var receipt = await client.GetAsync("/tips/receipt");
        var document = await Html.ParseAsync(receipt);
        return document.QuerySelector("#receipt-code")?.TextContent
            ?? throw new InvalidOperationException("No receipt code on the receipt page.");
    }
}
