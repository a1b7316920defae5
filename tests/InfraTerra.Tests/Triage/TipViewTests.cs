using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Triage;

/// <summary>The tip view <c>/triage/tips/{id}</c>: who may see it, what it shows, and what each look leaves in the audit log.</summary>
public sealed class TipViewTests(TipViewApp app) : IClassFixture<TipViewApp>
{
    private static string Unique(string text) => $"{text} {Guid.NewGuid():N}";

    private static string TipPath(Guid tipId) => $"/triage/tips/{tipId}";

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, Guid tipId, string formId, string field, string text)
    {
        var page = await Html.ParseAsync(await client.GetAsync(TipPath(tipId)));
        var form = (IHtmlFormElement)page.QuerySelector(formId)!;
        var fields = Html.FormFields(page, formId);
        fields[field] = text;
        return await client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    private Task<List<AuditRecord>> AuditOfAsync(Guid tipId) =>
        app.ScopedAsync(db => db.AuditRecords.AsNoTracking().Where(r => r.TipId == tipId).OrderBy(r => r.Sequence).ToListAsync());

    private static Task<HttpResponseMessage> OpenFollowUpAsync(HttpClient client, string receipt) =>
        Clients.PostFormAsync(client, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        });

    [Fact]
    public async Task OfficerOnTheTipsDesk_SeesWhatTheTipsterWrote_BesideTheNotice()
    {
        var description = Unique("Seen loading ivory crates at the harbour");
        var (tipId, _) = await app.CreateTipAsync(description);

        var response = await app.ZaOfficer.GetAsync(TipPath(tipId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var page = await Html.ParseAsync(response);
        Assert.Equal(description, page.QuerySelector("#tip-description")!.TextContent);
        Assert.Equal("Harbour road, by the fish market", page.QuerySelector("#tip-place")!.TextContent);
        Assert.Equal("Saw the person in person", page.QuerySelector("#tip-how-known")!.TextContent);
        Assert.Equal("Fairly sure", page.QuerySelector("#tip-certainty")!.TextContent);
        Assert.Contains("Anonymous", page.QuerySelector("#tip-contact")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("ZA", page.QuerySelector("#tip-desk")!.TextContent);
        var facts = page.QuerySelector("#tip-facts")!.TextContent;
        Assert.Contains("2026-11-28 (approximate)", facts, StringComparison.Ordinal);
        Assert.Contains("South Africa", facts, StringComparison.Ordinal);
        Assert.Contains("ZA", page.QuerySelector("#notice-warrants")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("MARLOWE-ASHBY", page.QuerySelector("#notice")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#decisions"));
        Assert.NotNull(page.QuerySelector("#question-form"));
        Assert.NotNull(page.QuerySelector("#note-form"));
    }

    [Fact]
    public async Task OfficerOfAnotherDesk_GetsNotFound_AsForATipThatDoesNotExist()
    {
        var description = Unique("Not for the Kenyan desk");
        var (tipId, _) = await app.CreateTipAsync(description, app.File(TestFiles.Png()));

        var otherDesk = await app.KeOfficer.GetAsync(TipPath(tipId));
        var madeUp = await app.ZaOfficer.GetAsync(TipPath(Guid.NewGuid()));
        var file = await app.KeOfficer.GetAsync($"{TipPath(tipId)}/files/1");

        Assert.Equal(HttpStatusCode.NotFound, otherDesk.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, madeUp.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        Assert.DoesNotContain(description, await otherDesk.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AuditOfAsync(tipId));
    }

    [Fact]
    public async Task OfficerOfAnotherDesk_CannotPostAQuestionOrNote()
    {
        var (tipId, _) = await app.CreateTipAsync(Unique("Posted at by another desk"));
        var token = Html.FormFields(await Html.ParseAsync(await app.KeOfficer.GetAsync("/triage")), "form[action='/account/logout']");

        var question = await app.KeOfficer.PostAsync($"{TipPath(tipId)}?handler=Question", new FormUrlEncodedContent(
            new Dictionary<string, string>(token) { ["Question.Text"] = "Where?" }));
        var note = await app.KeOfficer.PostAsync($"{TipPath(tipId)}?handler=Note", new FormUrlEncodedContent(
            new Dictionary<string, string>(token) { ["Note.Text"] = "Mine" }));

        Assert.NotEqual(HttpStatusCode.OK, question.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, note.StatusCode);
        Assert.Equal(0, await app.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
        Assert.Equal(0, await app.ScopedAsync(db => db.TipNotes.CountAsync(n => n.TipId == tipId)));
    }

    [Fact]
    public async Task Supervisor_WithNoDesk_SeesAndMayActOnEveryDesksTip()
    {
        var (tipId, _) = await app.CreateTipAsync(Unique("Seen by a supervisor"));
        var supervisor = await Officers.SignInFirstTimeAsync(app, $"supervisor-{Guid.NewGuid():N}@example.org", Roles.Supervisor);

        var page = await Html.ParseAsync(await supervisor.GetAsync(TipPath(tipId)));

        Assert.NotNull(page.QuerySelector("#tip-description"));
        Assert.NotNull(page.QuerySelector("#question-form"));
        Assert.Null(page.QuerySelector("#read-only"));
    }

    [Fact]
    public async Task DeskThatForwardedTheTip_ReadsEverything_ButGetsNoFormsAndLeavesTheAnswerUnread()
    {
        var description = Unique("Forwarded away from Kenya");
        var (tipId, _) = await app.CreateTipAsync(description);
        await app.WithStoreAsync(store => store.AppendMessageAsync(tipId, MessageAuthor.Tipster, "An answer nobody has read", [], CancellationToken.None));
        await app.ScopedAsync(db =>
        {
            db.TipDeskShares.Add(new TipDeskShare { TipId = tipId, Desk = "KE", SharedAtUtc = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });

        var response = await app.KeOfficer.GetAsync(TipPath(tipId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal(description, page.QuerySelector("#tip-description")!.TextContent);
        Assert.NotNull(page.QuerySelector("#read-only"));
        Assert.NotNull(page.QuerySelector("#unread-answer"));
        Assert.Null(page.QuerySelector("#question-form"));
        Assert.Null(page.QuerySelector("#note-form"));
        Assert.True(await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tipId).Select(t => t.AnswerUnread).SingleAsync()));

        var token = Html.FormFields(page, "form[action='/account/logout']");
        var question = await app.KeOfficer.PostAsync($"{TipPath(tipId)}?handler=Question", new FormUrlEncodedContent(
            new Dictionary<string, string>(token) { ["Question.Text"] = "Where?" }));
        Assert.Equal(HttpStatusCode.Forbidden, question.StatusCode);
        Assert.Equal(1, await app.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    [Fact]
    public async Task EveryView_IsAudited_AndTheTipShowsItsOwnTimeline()
    {
        var (tipId, _) = await app.CreateTipAsync(Unique("Looked at twice"));

        await app.ZaOfficer.GetAsync(TipPath(tipId));
        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync(TipPath(tipId)));

        var records = await AuditOfAsync(tipId);
        Assert.Equal([AuditActions.TipViewed, AuditActions.TipViewed], records.Select(r => r.Action));
        Assert.All(records, r => Assert.Equal(TipViewApp.ZaEmail, r.ActorName));
        Assert.All(records, r => Assert.Null(r.Detail));
        var rows = page.QuerySelectorAll("#timeline tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains(TipViewApp.ZaEmail, rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains(AuditActions.TipViewed, rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_IsServedInlineAsTheCleanedCopy_NeverStored_NotSniffed_Sandboxed_AndAudited()
    {
        var original = TestFiles.JpegWithExif();
        var (tipId, _) = await app.CreateTipAsync(Unique("With a photo"), app.File(original));
        var cleaned = AttachmentInspector.Inspect(original).Cleaned;

        var shown = await app.ZaOfficer.GetAsync($"{TipPath(tipId)}/files/1");
        var downloaded = await app.ZaOfficer.GetAsync($"{TipPath(tipId)}/files/1?download=1");

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("image/jpeg", shown.Content.Headers.ContentType!.MediaType);
        Assert.Equal(cleaned, await shown.Content.ReadAsByteArrayAsync());
        foreach (var response in new[] { shown, downloaded })
        {
            Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("default-src 'none'; sandbox", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        }

        Assert.Equal("inline", shown.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("attachment", downloaded.Content.Headers.ContentDisposition!.DispositionType);
        var records = await AuditOfAsync(tipId);
        Assert.Equal(
            [(AuditActions.AttachmentViewed, "1"), (AuditActions.AttachmentDownloaded, "1")],
            records.Select(r => (r.Action, r.Subject)));

        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync(TipPath(tipId)));
        Assert.NotNull(page.QuerySelector($"img[src='{TipPath(tipId)}/files/1']"));
        Assert.Equal(Convert.ToHexString(Fingerprints.Of(app, original)), page.QuerySelector("#file-1 .fingerprint code")!.TextContent);
        Assert.Contains("image/jpeg", page.QuerySelector("#file-1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("320 × 240 px", page.QuerySelector("#file-1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ZaOfficer.GetAsync($"{TipPath(tipId)}/files/2")).StatusCode);
    }

    [Fact]
    public async Task Pdf_IsAlwaysADownload_NeverShownInline()
    {
        var (tipId, _) = await app.CreateTipAsync(Unique("With a PDF"), app.File(TestFiles.Pdf()));

        var response = await app.ZaOfficer.GetAsync($"{TipPath(tipId)}/files/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.EndsWith(".pdf", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        Assert.Equal("default-src 'none'; sandbox", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal(AuditActions.AttachmentDownloaded, Assert.Single(await AuditOfAsync(tipId)).Action);
    }

    [Fact]
    public async Task PhotoLocation_IsShownWithAGeoLink_OnlyForThePhotoWhoseLocationTheTipsterKept()
    {
        var (tipId, _) = await app.CreateTipAsync(
            Unique("Two photos"), app.File(TestFiles.Jpeg(), new PhotoLocation(47.3769, 8.5417)), app.File(TestFiles.Png()));

        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync(TipPath(tipId)));

        var link = Assert.Single(page.QuerySelectorAll("a[href^='geo:']"));
        Assert.Equal("geo:47.3769,8.5417", link.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("#file-1 a[href^='geo:']"));
        Assert.Null(page.QuerySelector("#file-2 .photo-location"));
        Assert.Empty(page.QuerySelectorAll("img[src^='http'], iframe"));
    }

    [Fact]
    public async Task OfficersQuestion_ReachesTheTipsterWithTheReceipt_AndTheirAnswerShowsAsUnreadOnTheTip()
    {
        var (tipId, receipt) = await app.CreateTipAsync(Unique("Asked about"));
        var question = Unique("Which vessel was it?");

        var asked = await PostFormAsync(app.ZaOfficer, tipId, "#question-form", "Question.Text", question);

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.StartsWith($"{TipPath(tipId)}?done=question", asked.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var message = await app.ScopedAsync(db => db.TipMessages.AsNoTracking().SingleAsync(m => m.TipId == tipId));
        Assert.Equal(MessageAuthor.Officer, message.Author);
        Assert.DoesNotContain(question, Encoding.UTF8.GetString(message.SealedBody), StringComparison.Ordinal);
        Assert.Contains(await AuditOfAsync(tipId), r => r.Action == AuditActions.QuestionSent && r.Detail is null);

        var tipster = Clients.New(app);
        var followUp = await Html.ParseAsync(await OpenFollowUpAsync(tipster, receipt));
        var shown = Assert.Single(followUp.QuerySelectorAll("#messages li"));
        Assert.Contains("Question from the investigators", shown.TextContent, StringComparison.Ordinal);
        Assert.Contains(question, shown.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(TipViewApp.ZaEmail, followUp.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Received", followUp.QuerySelector("#public-status")!.TextContent.Trim());

        var answer = Unique("The Sea Lark");
        var fields = Html.FormFields(followUp, "main form");
        fields["Reply.Message"] = answer;
        await tipster.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields));

        var first = await Html.ParseAsync(await app.ZaOfficer.GetAsync(TipPath(tipId)));
        Assert.NotNull(first.QuerySelector("#unread-answer"));
        var lines = first.QuerySelectorAll("#messages li");
        Assert.Equal(2, lines.Length);
        Assert.Contains(question, lines[0].TextContent, StringComparison.Ordinal);
        Assert.Contains(TipViewApp.ZaEmail, lines[0].TextContent, StringComparison.Ordinal);
        Assert.Contains(answer, lines[1].TextContent, StringComparison.Ordinal);

        var again = await Html.ParseAsync(await app.ZaOfficer.GetAsync(TipPath(tipId)));
        Assert.Null(again.QuerySelector("#unread-answer"));
        Assert.False(await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tipId).Select(t => t.AnswerUnread).SingleAsync()));
    }

    [Theory]
    [InlineData("", "Question from the investigators")]
    [InlineData("/fr", "Question des enquêteurs")]
    [InlineData("/es", "Pregunta de los investigadores")]
    [InlineData("/ar", "سؤال من المحققين")]
    public async Task FollowUp_FramesAnOfficersMessage_AsAQuestionFromTheInvestigators_InEveryLanguage(string prefix, string framing)
    {
        var (tipId, receipt) = await app.CreateTipAsync(Unique("Asked in four languages"));
        await app.WithStoreAsync(store => store.AppendMessageAsync(tipId, MessageAuthor.Officer, "Which vessel?", [], CancellationToken.None));

        var page = await Html.ParseAsync(await Clients.PostFormAsync(Clients.New(app), $"{prefix}/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        }));

        var message = Assert.Single(page.QuerySelectorAll("#messages li.from-officer"));
        Assert.Contains(framing, message.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("   ", "Please write something first.")]
    [InlineData("x", "Please keep this under 4000 characters.")]
    public async Task Question_EmptyOrTooLong_ShowsAClearError_KeepsTheText_AndSendsNothing(string text, string error)
    {
        var (tipId, _) = await app.CreateTipAsync(Unique("Question refused"));
        var typed = text == "x" ? new string('x', 4001) : text;

        var response = await PostFormAsync(app.ZaOfficer, tipId, "#question-form", "Question.Text", typed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(error, page.QuerySelector("#question-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(typed.Trim(), page.QuerySelector("#question-text")!.TextContent.Trim());
        Assert.Equal(0, await app.ScopedAsync(db => db.TipMessages.CountAsync(m => m.TipId == tipId)));
    }

    [Fact]
    public async Task Note_IsListedForOfficers_Sealed_Audited_AndNeverReachesTheTipster()
    {
        var (tipId, receipt) = await app.CreateTipAsync(Unique("Noted"));
        var text = Unique("Internal: matches the port authority report");

        var added = await PostFormAsync(app.ZaOfficer, tipId, "#note-form", "Note.Text", text);

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync(TipPath(tipId)));
        var note = Assert.Single(page.QuerySelectorAll("#note-list li"));
        Assert.Contains(text, note.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Note", note.TextContent.Trim(), StringComparison.Ordinal);
        var stored = await app.ScopedAsync(db => db.TipNotes.AsNoTracking().SingleAsync(n => n.TipId == tipId));
        Assert.Equal(TipNoteKind.Note, stored.Kind);
        Assert.DoesNotContain("port authority", Encoding.UTF8.GetString(stored.SealedBody), StringComparison.Ordinal);
        Assert.Contains(await AuditOfAsync(tipId), r => r.Action == AuditActions.NoteAdded && r.Detail is null);

        var tipster = Clients.New(app);
        var followUp = await OpenFollowUpAsync(tipster, receipt);
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        var html = await followUp.Content.ReadAsStringAsync();
        Assert.Contains("public-status", html, StringComparison.Ordinal);
        Assert.DoesNotContain("port authority", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotesOfOtherKinds_AreListedLabelledByKind()
    {
        var (tipId, _) = await app.CreateTipAsync(Unique("Graded"));
        var officerId = await app.ScopedAsync(db => db.Users.Where(u => u.Email == TipViewApp.ZaEmail).Select(u => u.Id).SingleAsync());
        await app.WithStoreAsync(store => store.AddNoteAsync(
            tipId, TipNoteKind.GradeNote, "Source known to the desk", new AuditEntry(new AuditActor(officerId, TipViewApp.ZaEmail), AuditActions.Graded, tipId), CancellationToken.None));

        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync(TipPath(tipId)));

        var note = Assert.Single(page.QuerySelectorAll("#note-list li"));
        Assert.StartsWith("Grading note", note.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Source known to the desk", note.TextContent, StringComparison.Ordinal);
        Assert.Contains(TipViewApp.ZaEmail, note.TextContent, StringComparison.Ordinal);
    }
}
