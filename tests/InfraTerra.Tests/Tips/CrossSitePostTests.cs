using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// The public forms take posts without cookies (ADR 0004), but not from another site's page: what
/// the browser says about where a post came from decides, and the refused form comes back with its text.
/// </summary>
public sealed class CrossSitePostTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private const string Description = "Written on a page I did not know was another site.";

    private async Task<(HttpResponseMessage Response, Dictionary<string, string> Fields)> PostTipAsync(
        Dictionary<string, string> headers, AppFactory? app = null)
    {
        var cookieless = (app ?? factory).CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var page = await Html.ParseAsync(await cookieless.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = Description;
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tips/new") { Content = new FormUrlEncodedContent(fields) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return (await cookieless.SendAsync(request), fields);
    }

    private Task<int> StoredAsync(Dictionary<string, string> fields) =>
        factory.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])));

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "https://elsewhere.example")]
    [InlineData("Origin", "http://localhost:8080")]
    public async Task PostFromAnotherSite_GetsTheFormBackWithTheText_AndStoresNothing(string header, string value)
    {
        var (response, fields) = await PostTipAsync(new() { [header] = value });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Null(page.QuerySelector("#receipt-code"));
        Assert.Equal(Description, page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Contains("This form was sent from another website", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await StoredAsync(fields));

        // The other site chose the form key; a send from here must not use it, or that site could replay the receipt.
        var key = page.QuerySelector("input[name='Input.FormKey']")!.GetAttribute("value");
        Assert.NotEqual(fields["Input.FormKey"], key);
        Assert.True(FormKeys.IsWellFormed(key));
    }

    [Theory]
    [InlineData("same-origin", null)]
    [InlineData("same-site", null)]
    [InlineData("same-origin", "null")]
    [InlineData(null, "null")]
    [InlineData(null, "http://localhost")]
    [InlineData(null, null)]
    public async Task PostFromThisSite_OrFromABrowserThatSaysNothing_StillWorksWithoutCookies(string? fetchSite, string? origin)
    {
        var headers = new Dictionary<string, string>();
        if (fetchSite is not null)
        {
            headers["Sec-Fetch-Site"] = fetchSite;
        }

        if (origin is not null)
        {
            headers["Origin"] = origin;
        }

        var (response, fields) = await PostTipAsync(headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await Html.ParseAsync(response)).QuerySelector("#receipt-code"));
        Assert.Equal(1, await StoredAsync(fields));
    }

    [Fact]
    public async Task BehindAProxy_ThePublicBaseUrlIsThisSite()
    {
        using var app = new AppFactory(new() { ["Site:PublicBaseUrl"] = "https://tips.example.org" });

        var (accepted, _) = await PostTipAsync(new() { ["Origin"] = "https://tips.example.org" }, app);
        var (refused, _) = await PostTipAsync(new() { ["Origin"] = "https://other.example.org" }, app);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.NotNull((await Html.ParseAsync(accepted)).QuerySelector("#receipt-code"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task FollowUpPostFromAnotherSite_KeepsTheAnswer_AndOpensNothing()
    {
        var (sent, _) = await PostTipAsync([]);
        var receipt = (await Html.ParseAsync(sent)).QuerySelector("#receipt-code")!.TextContent;
        var cookieless = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tips/follow-up?handler=Open")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Receipt"] = receipt, ["Reply.Message"] = "An answer typed elsewhere." }),
        };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        var response = await cookieless.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Null(page.QuerySelector("#tip-status"));
        Assert.Equal("An answer typed elsewhere.", page.QuerySelector("#Reply_Message")!.TextContent.Trim());
        Assert.Contains("This form was sent from another website", page.Body!.TextContent, StringComparison.Ordinal);
    }
}
