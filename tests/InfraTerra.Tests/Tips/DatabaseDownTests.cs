using System.Net;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Tips;

public sealed class DatabaseDownTests
{
    [Fact]
    public async Task Post_BeyondTheHourlyLimit_Answers429WithTheTextKept_WhileARetryOfAStoredFormStillGetsItsReceipt()
    {
        using var factory = new AppFactory(new() { ["RateLimits:TipSubmissionsPerHour"] = "2" });
        var client = Clients.New(factory);
        var (first, firstFields) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "First report within the limit.");
        var firstReceipt = await TipForms.ReceiptAsync(client, first);
        var (second, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "Second report within the limit.");
        await TipForms.ReceiptAsync(client, second);

        var (third, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "Third report, over the limit.");

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        var page = await Html.ParseAsync(third);
        Assert.Equal("Third report, over the limit.", page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Contains("your text is kept below", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, await factory.ScopedAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Tips)));

        var replay = await client.PostAsync("/tips/new", new FormUrlEncodedContent(firstFields));
        Assert.Equal(firstReceipt, await TipForms.ReceiptAsync(client, replay));
    }

    [Fact]
    public async Task Post_WhenTheDatabaseCannotWrite_Answers503WithTheTextKeptAndStoresNothing()
    {
        using var factory = new AppFactory(new() { ["Database:SqliteBusyTimeoutSeconds"] = "1" });
        var client = Clients.New(factory);
        var page = await client.GetAsync("/tips/new");
        var document = await Html.ParseAsync(page);
        var fields = Html.FormFields(document);
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(document);
        fields["Input.Description"] = "Written while the database is locked by another writer.";

        // Another process holds the write lock, as during a long migration or a disk stall.
        await using (await SqliteWriteLock.TakeAsync(factory.DatabaseFile))
        {
            var response = await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter is not null, "Retry-After is missing");
            var html = await Html.ParseAsync(response);
            Assert.Contains("nothing was sent", html.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal(fields["Input.Description"], html.QuerySelector("#Input_Description")!.TextContent.Trim());
            Assert.Equal(fields["Input.FormKey"], html.QuerySelector("#Input_FormKey")!.GetAttribute("value"));
        }

        // Once the database is back, the same form goes through and makes exactly one tip.
        var retry = await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        Assert.Equal(1, await factory.ScopedAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Tips)));
    }

    [Fact]
    public async Task Post_GivenBackUnsent_WhileTheDatabaseCannotBeRead_KeepsTheTextInsteadOfAnErrorPage()
    {
        using var factory = new AppFactory(new() { ["Database:SqliteBusyTimeoutSeconds"] = "1" });
        var client = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var fields = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/new?notice=2014-90002")));
        fields["Input.Description"] = "Written while the database is down, sent from a page on another site.";

        // A post that is given back unsent (here: from another site) still shows the notice when it
        // can; with the database unreadable it must still give the text back.
        await using (await SqliteWriteLock.TakeReadsTooAsync(factory.DatabaseFile))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/tips/new") { Content = new FormUrlEncodedContent(fields) };
            request.Headers.Add("Sec-Fetch-Site", "cross-site");
            var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var html = await Html.ParseAsync(response);
            Assert.Equal(fields["Input.Description"], html.QuerySelector("#Input_Description")!.TextContent.Trim());
        }
    }
}
