using System.Net;
using System.Text;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Triage.Notices;

public sealed class NoticeManagementTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Create_WithBrokenFields_ShowsEachErrorAndKeepsWhatWasTyped_AndSavesNothing()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "create-errors");
        var before = await app.ScopedAsync(db => db.Notices.CountAsync());

        var response = await NoticeDesk.PostNewAsync(supervisor, "", f =>
        {
            f["Input.Forenames"] = new string('x', 201);
            f["Input.Nationalities"] = "KE, XX";
            f["Input.Summary"] = new string('s', 4001);
            f["Input.HeightMetres"] = "tall";
            f["Input.Warrants[0].IssuingCountry"] = "";
            f["Input.Warrants[0].Charge"] = "";
            f["Input.Caution"] = "Keep this caution";
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var summary = page.QuerySelector(".validation-summary")!.TextContent;
        Assert.Contains("Enter the family name.", summary, StringComparison.Ordinal);
        Assert.Contains("The forenames can have at most 200 characters.", summary, StringComparison.Ordinal);
        Assert.Contains("Not a known country code: XX.", summary, StringComparison.Ordinal);
        Assert.Contains("The summary can have at most 4000 characters.", summary, StringComparison.Ordinal);
        Assert.Contains("The height is in metres", summary, StringComparison.Ordinal);
        Assert.Contains("Enter at least one warrant", summary, StringComparison.Ordinal);
        Assert.Equal("KE, XX", page.QuerySelector("#Input_Nationalities")!.GetAttribute("value"));
        Assert.Equal("tall", page.QuerySelector("#Input_HeightMetres")!.GetAttribute("value"));
        Assert.Equal("Keep this caution", page.QuerySelector("#Input_Caution")!.TextContent);
        Assert.Equal(before, await app.ScopedAsync(db => db.Notices.CountAsync()));
    }

    [Fact]
    public async Task Create_Valid_GetsAYearReference_IsSavedUnpublished_WithItsParts_AndIsAudited()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "create");
        var name = NoticeDesk.UniqueName("Quill");

        var reference = await NoticeDesk.CreateAsync(supervisor, name);

        Assert.StartsWith($"{DateTime.UtcNow.Year}-", reference, StringComparison.Ordinal);
        var notice = await app.ScopedAsync(db => db.Notices.Include(n => n.Warrants).Include(n => n.Translations).SingleAsync(n => n.Reference == reference));
        Assert.False(notice.IsPublished);
        Assert.Equal(NoticeStatus.Wanted, notice.Status);
        Assert.Equal(["KE", "TZ"], notice.Nationalities);
        Assert.Equal(["The Ferryman"], notice.Aliases);
        Assert.Contains("ferryman", notice.SearchName, StringComparison.Ordinal);
        Assert.Equal("KE", Assert.Single(notice.Warrants).IssuingCountry);
        Assert.Equal("fr", Assert.Single(notice.Translations).Language);
        var record = await app.ScopedAsync(db => db.AuditRecords.SingleAsync(r => r.Action == AuditActions.NoticeCreated && r.Subject == reference));
        Assert.DoesNotContain(name, record.Detail ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/notices/{reference}")).StatusCode);

        var view = await Html.ParseAsync(await supervisor.GetAsync($"/triage/notices/{reference}"));
        Assert.Contains(AuditActions.NoticeCreated, view.QuerySelector("#history")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_TwoSupervisorsOnTheSameRevision_TheSecondGets409_KeepsWhatWasTyped_AndOverwritesNothing()
    {
        var first = await NoticeDesk.SupervisorAsync(app, "edit-first");
        var second = await NoticeDesk.SupervisorAsync(app, "edit-second");
        var reference = await NoticeDesk.CreateAsync(first, NoticeDesk.UniqueName("Rook"));
        var firstForm = await NoticeDesk.FormAsync(first, reference, "notice-form");
        var secondForm = await NoticeDesk.FormAsync(second, reference, "notice-form");
        Assert.Equal(firstForm["Input.Revision"], secondForm["Input.Revision"]);

        firstForm["Input.Caution"] = "Known to carry a knife.";
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.PostAsync(first, reference, null, firstForm)).StatusCode);
        secondForm["Input.Caution"] = "Travels with bodyguards.";
        var refused = await NoticeDesk.PostAsync(second, reference, null, secondForm);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        Assert.Contains("Another Supervisor changed this notice since you opened it", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Travels with bodyguards.", page.QuerySelector("#Input_Caution")!.TextContent);
        var stored = await app.ScopedAsync(db => db.Notices.SingleAsync(n => n.Reference == reference));
        Assert.Equal("Known to carry a knife.", stored.Caution);
        Assert.Equal(int.Parse(firstForm["Input.Revision"], System.Globalization.CultureInfo.InvariantCulture) + 1, stored.Revision);
        Assert.Equal(1, await app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.NoticeEdited && r.Subject == reference)));

        // The same stale revision cannot publish either.
        var stalePublish = new Dictionary<string, string>(secondForm) { ["Input.Revision"] = secondForm["Input.Revision"] };
        Assert.Equal(HttpStatusCode.Conflict, (await NoticeDesk.PostAsync(second, reference, "Publish", stalePublish)).StatusCode);
        Assert.False(await app.ScopedAsync(db => db.Notices.Where(n => n.Reference == reference).Select(n => n.IsPublished).SingleAsync()));
    }

    [Fact]
    public async Task Photo_NotAnImageByContent_IsRefused_EvenNamedJpg()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "photo-refused");
        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Wren"));

        var response = await PostPhotoAsync(supervisor, reference, ("portrait.jpg", TestFiles.Pdf(), "image/jpeg"), "A portrait");

        var page = await Html.ParseAsync(response);
        Assert.Contains("not a photo this site accepts", page.QuerySelector("#photo-form")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await app.ScopedAsync(db => db.NoticePhotos.CountAsync(p => db.Notices.Any(n => n.Id == p.NoticeId && n.Reference == reference))));
    }

    [Fact]
    public async Task Photo_WithoutAltText_IsRefused_AndAPhotoIsStoredWithoutItsMetadata_WithAThumbnail_ThenRemoved()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "photo");
        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Finch"));
        var original = TestFiles.JpegWithExif();

        var noAlt = await Html.ParseAsync(await PostPhotoAsync(supervisor, reference, ("p.jpg", original, "image/jpeg"), ""));
        Assert.Contains("alternative text", noAlt.QuerySelector("#photo-form")!.TextContent, StringComparison.Ordinal);

        var added = await PostPhotoAsync(supervisor, reference, ("p.bin", original, "application/octet-stream"), "Generated portrait, not a real person");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var photo = await app.ScopedAsync(db => db.NoticePhotos.SingleAsync(p => db.Notices.Any(n => n.Id == p.NoticeId && n.Reference == reference)));
        Assert.DoesNotContain("Exif", Encoding.Latin1.GetString(photo.Content), StringComparison.Ordinal);
        Assert.DoesNotContain(TestFiles.ExifMarker, Encoding.Latin1.GetString(photo.Content), StringComparison.Ordinal);
        Assert.Equal("image/jpeg", photo.ContentType);
        Assert.Equal((320, 240), (photo.Width, photo.Height));
        Assert.NotEmpty(photo.Thumbnail);
        Assert.Equal("Generated portrait, not a real person", photo.AltText);
        var thumbnail = await supervisor.GetAsync($"/triage/notices/{reference}?handler=Photo&photoId={photo.Id}&thumbnail=true");
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);

        var remove = Html.FormFields(await Html.ParseAsync(await supervisor.GetAsync($"/triage/notices/{reference}/edit")), "#photos form.inline-form");
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.PostAsync(supervisor, reference, "RemovePhoto", remove)).StatusCode);
        Assert.False(await app.ScopedAsync(db => db.NoticePhotos.AnyAsync(p => p.Id == photo.Id)));
        Assert.Equal(2, await app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Subject == reference
            && (r.Action == AuditActions.NoticePhotoAdded || r.Action == AuditActions.NoticePhotoRemoved))));
    }

    [Fact]
    public async Task Publish_ShowsTheNoticeAtOnce_OnTheListPageApiFeedAndSitemap_AndUnpublishTakesItAway()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "publish");
        var name = NoticeDesk.UniqueName("Lark");
        var reference = await NoticeDesk.CreateAsync(supervisor, name);
        var visitor = app.CreateClient();
        // Fill the caches first: the change must evict them, not wait for them to expire.
        Assert.False(await PublicEverywhereAsync(visitor, reference, name));

        await NoticeDesk.PublishAsync(supervisor, reference);
        Assert.True(await PublicEverywhereAsync(visitor, reference, name, expectAll: true));
        Assert.Contains("May be armed.", await (await visitor.GetAsync($"/tips/new?notice={reference}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unpublish = await NoticeDesk.FormAsync(supervisor, reference, "unpublish-form");
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.PostAsync(supervisor, reference, "Unpublish", unpublish)).StatusCode);
        Assert.False(await PublicEverywhereAsync(visitor, reference, name));
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/tips/new?notice={reference}")).StatusCode);
        Assert.Equal(1, await app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.NoticePublished && r.Subject == reference)));
        Assert.Equal(1, await app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.NoticeUnpublished && r.Subject == reference)));
    }

    [Fact]
    public async Task Officer_ReadsTheNotice_ButCannotCreateEditPreviewOrCreateOperations_AndAnonymousIsSentToSignIn()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "owner");
        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Teal"));
        var officer = (await Officers.EnrolAsync(app, $"reader-{Guid.NewGuid():N}@example.org", Roles.Officer)).Client;

        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/triage/notices/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/triage/notices")).StatusCode);
        foreach (var path in new[] { "/triage/notices/new", $"/triage/notices/{reference}/edit", $"/triage/notices/{reference}/preview", "/triage/operations/new" })
        {
            await TriageSetup.AssertForbiddenAsync(await officer.GetAsync(path));
        }

        var token = Html.FormFields(await Html.ParseAsync(await officer.GetAsync("/triage/notices")), "header form")["__RequestVerificationToken"];
        var post = await officer.PostAsync($"/triage/notices/{reference}/edit?handler=Status",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["NewStatus"] = "Withdrawn", ["Input.Revision"] = "0" }));
        await TriageSetup.AssertForbiddenAsync(post);
        Assert.Equal(NoticeStatus.Wanted, await app.ScopedAsync(db => db.Notices.Where(n => n.Reference == reference).Select(n => n.Status).SingleAsync()));

        var anonymous = Clients.New(app);
        var redirect = await anonymous.GetAsync($"/triage/notices/{reference}/edit");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/account/login", redirect.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewOperation_IsValidated_ThenChosenOnANotice_AndShownOnItsPublicPage()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "operation");
        var slug = "op-" + Guid.NewGuid().ToString("N")[..8];
        var refused = await Clients.PostFormAsync(supervisor, "/triage/operations/new", f =>
        {
            f["Input.Slug"] = "Not A Slug";
            f["Input.Name"] = "Kept name";
            return f;
        });
        var page = await Html.ParseAsync(refused);
        Assert.Contains("lower-case letters, digits and dashes", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Write a summary of the operation.", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Kept name", page.QuerySelector("#Input_Name")!.GetAttribute("value"));

        var created = await Clients.PostFormAsync(supervisor, "/triage/operations/new", f =>
        {
            f["Input.Slug"] = slug;
            f["Input.Name"] = "Operation Heron";
            f["Input.Summary"] = "SAMPLE DATA. A fictional operation.";
            return f;
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var operationId = await app.ScopedAsync(db => db.Operations.Where(o => o.Slug == slug).Select(o => o.Id).SingleAsync());

        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Heron"), f => f["Input.OperationIds"] = operationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await NoticeDesk.PublishAsync(supervisor, reference);
        Assert.Contains($"/notices/{reference}", await (await app.CreateClient().GetAsync($"/operations/{slug}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostPhotoAsync(HttpClient client, string reference, (string Name, byte[] Bytes, string Type) file, string altText)
    {
        var fields = await NoticeDesk.FormAsync(client, reference, "photo-form");
        fields.Remove("Photo.File");
        fields["Photo.AltText"] = altText;
        return await client.PostAsync($"/triage/notices/{reference}/edit?handler=AddPhoto", TipForms.WithFiles(fields, "Photo.File", file));
    }

    /// <summary>Whether the notice is on each public surface; with <paramref name="expectAll"/>, asserts it is on all of them.</summary>
    public static async Task<bool> PublicEverywhereAsync(HttpClient visitor, string reference, string name, bool expectAll = false)
    {
        var found = new Dictionary<string, bool>
        {
            ["list"] = (await (await visitor.GetAsync($"/notices?q={name}")).Content.ReadAsStringAsync()).Contains($"/notices/{reference}", StringComparison.Ordinal),
            ["page"] = (await visitor.GetAsync($"/notices/{reference}")).StatusCode == HttpStatusCode.OK,
            ["api"] = (await visitor.GetAsync($"/api/v1/notices/{reference}")).StatusCode == HttpStatusCode.OK,
            ["api list"] = (await (await visitor.GetAsync($"/api/v1/notices?name={name}")).Content.ReadAsStringAsync()).Contains(reference.Replace('-', '/'), StringComparison.Ordinal),
            ["feed"] = (await (await visitor.GetAsync("/feeds/notices.atom")).Content.ReadAsStringAsync()).Contains($"/notices/{reference}", StringComparison.Ordinal),
            ["sitemap"] = (await (await visitor.GetAsync("/sitemap-notices-1.xml")).Content.ReadAsStringAsync()).Contains($"/notices/{reference}", StringComparison.Ordinal),
        };
        if (expectAll)
        {
            Assert.All(found, f => Assert.True(f.Value, $"Not on the {f.Key}"));
        }
        else
        {
            Assert.All(found, f => Assert.False(f.Value, $"Still on the {f.Key}"));
        }

        return found.Values.All(v => v);
    }
}
