using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Triage;

public sealed class SavedQueueViewTests(SavedQueueViewTests.App app) : IClassFixture<SavedQueueViewTests.App>
{
    [Fact]
    public async Task SavingTheCurrentFilter_ListsItAsALink_AndDeletingRemovesIt()
    {
        var officer = await app.OfficerAsync("saver@example.org");

        var saved = await SaveAsync(officer, "/triage?status=New&status=InReview&deadline=overdue&threat=yes", "Urgent and late");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/triage?status=New&status=InReview&deadline=overdue&threat=yes", saved.Headers.Location!.OriginalString);
        var page = await Html.ParseAsync(await officer.GetAsync("/triage"));
        var link = page.QuerySelector("#saved-views a")!;
        Assert.Equal("Urgent and late", link.TextContent);
        Assert.Equal("/triage?status=New&status=InReview&deadline=overdue&threat=yes", link.GetAttribute("href"));

        var id = page.QuerySelector("#saved-views li")!.GetAttribute("data-view-id")!;
        var deleted = await officer.PostAsync($"/triage?handler=Delete&id={id}", new FormUrlEncodedContent(Html.FormFields(page, $"#saved-views li[data-view-id='{id}'] form")));

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null((await Html.ParseAsync(await officer.GetAsync("/triage"))).QuerySelector("#saved-views a"));
        Assert.Equal(0, app.Scoped(db => db.SavedQueueViews.Count(v => v.Name == "Urgent and late")));
    }

    [Fact]
    public async Task AView_BelongsToItsOwner_AnotherOfficerNeitherSeesNorDeletesIt()
    {
        var owner = await app.OfficerAsync("owner@example.org");
        var other = await app.OfficerAsync("other@example.org");
        await SaveAsync(owner, "/triage?unread=yes", "Answers to read");
        var id = app.Scoped(db => db.SavedQueueViews.Single(v => v.Name == "Answers to read").Id);

        var othersPage = await Html.ParseAsync(await other.GetAsync("/triage"));
        Assert.DoesNotContain("Answers to read", othersPage.QuerySelector(".saved-views")!.TextContent, StringComparison.Ordinal);

        var token = Html.FormFields(othersPage, "form#save-view")["__RequestVerificationToken"];
        var refused = await other.PostAsync($"/triage?handler=Delete&id={id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(1, app.Scoped(db => db.SavedQueueViews.Count(v => v.Id == id)));
    }

    [Fact]
    public async Task Save_WithoutTheAntiforgeryToken_IsRefused()
    {
        var officer = await app.OfficerAsync("forged@example.org");

        var response = await officer.PostAsync("/triage?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string> { ["Save.Name"] = "x", ["Save.Query"] = "" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, app.Scoped(db => db.SavedQueueViews.Count(v => v.Name == "x")));
    }

    [Theory]
    [InlineData("", "Give the view a name")]
    [InlineData("A name that is far too long to be a name for a saved queue view, really", "at most 60 characters")]
    [InlineData("Same name", "already have a view named")]
    [InlineData("Same NAME", "already have a view named")]
    public async Task Save_RefusesAMissingLongOrRepeatedName_WithAClearError(string name, string message)
    {
        var officer = await app.OfficerAsync($"names-{Guid.NewGuid():N}@example.org");
        await SaveAsync(officer, "/triage", "Same name");

        var response = await SaveAsync(officer, "/triage?files=yes", name);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict);
        Assert.Contains(message, (await Html.ParseAsync(response)).QuerySelector("#queue-errors")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_RefusesABadFilter()
    {
        var officer = await app.OfficerAsync("badfilter@example.org");
        var page = await Html.ParseAsync(await officer.GetAsync("/triage"));
        var fields = Html.FormFields(page, "form#save-view");
        fields["Save.Name"] = "Broken";
        fields["Save.Query"] = "status=Lost";

        var response = await officer.PostAsync("/triage?handler=Save", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown status", (await Html.ParseAsync(response)).QuerySelector("#queue-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, app.Scoped(db => db.SavedQueueViews.Count(v => v.Name == "Broken")));
    }

    /// <summary>Opens the filtered queue and posts its save form, as a browser without JavaScript does.</summary>
    private static async Task<HttpResponseMessage> SaveAsync(HttpClient officer, string view, string name)
    {
        var page = await Html.ParseAsync(await officer.GetAsync(view));
        var fields = Html.FormFields(page, "form#save-view");
        fields["Save.Name"] = name;
        return await officer.PostAsync("/triage?handler=Save", new FormUrlEncodedContent(fields));
    }

    public sealed class App : AppFactory
    {
        public async Task<HttpClient> OfficerAsync(string email)
        {
            var client = await Officers.SignInFirstTimeAsync(this, email, Roles.Officer);
            await TriageSetup.AddDeskAsync(this, email, "KE");
            return client;
        }
    }
}
