using System.Net;
using System.Text;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

public sealed class TipIntakeTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private HttpClient NewClient() => Clients.New(factory);

    [Fact]
    public async Task Post_AboutANotice_StoresOneSealedTipOnTheWarrantCountryDesk_ThenShowsReceipt()
    {
        var client = NewClient();
        var marker = "Seen-at-the-harbour-" + Guid.NewGuid().ToString("N");

        var (response, fields) = await TipForms.SubmitAsync(client, "/tips/new?notice=2014-90001", f =>
        {
            f["Input.Description"] = $"{marker}: he was loading crates onto a dhow at dawn.";
            f["Input.Place"] = "Old harbour, north quay";
            f["Input.SightingCountry"] = "tz";
            f["Input.SightedOn"] = "2026-11-20";
            f["Input.DateIsApproximate"] = "true";
            f["Input.HowKnown"] = "KnowPersonally";
            f["Input.Certainty"] = "FairlySure";
            f["Input.WantsContact"] = "true";
            f["Input.ContactDetails"] = "Signal +000 sample";
        });
        var receipt = await TipForms.ReceiptAsync(client, response);

        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$", receipt);
        var tip = await factory.ScopedAsync(db => db.Tips.Include(t => t.Notice)
            .SingleAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])));
        Assert.Equal("2014-90001", tip.Notice!.Reference);
        Assert.Equal("KE", tip.Desk);
        Assert.Equal("TZ", tip.SightingCountry);
        Assert.Equal(new DateOnly(2026, 11, 20), tip.SightedOn);
        Assert.Equal(TipStatus.New, tip.Status);
        Assert.DoesNotContain(marker, Encoding.UTF8.GetString(tip.SealedContent), StringComparison.Ordinal);
        var sealer = factory.Services.GetRequiredService<TipSealer>();
        var content = sealer.Open(tip);
        Assert.StartsWith(marker, content.Description, StringComparison.Ordinal);
        Assert.Equal("Old harbour, north quay", content.Place);
        Assert.True(content.SightingDateIsApproximate);
        Assert.Equal(HowKnown.KnowPersonally, content.HowKnown);
        Assert.Equal(Certainty.FairlySure, content.Certainty);
        Assert.Equal("Signal +000 sample", content.ContactDetails);
        var lookup = factory.Services.GetRequiredService<ReceiptCodes>().LookupHash(ReceiptCodes.Canonical(receipt)!);
        Assert.Equal(lookup, tip.ReceiptLookupHash);
    }

    [Fact]
    public async Task Post_WithoutNotice_GoesToTheGeneralDesk_AndIsAnonymousByDefault()
    {
        var client = NewClient();
        var (response, fields) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "A truck with logs without permits, every Tuesday night.");
        await TipForms.ReceiptAsync(client, response);

        Assert.Equal("false", fields["Input.WantsContact"]);
        var tip = await factory.ScopedAsync(db => db.Tips.Where(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])).SingleAsync());
        Assert.Equal(Tip.GeneralDesk, tip.Desk);
        Assert.Null(factory.Services.GetRequiredService<TipSealer>().Open(tip).ContactDetails);
    }

    [Fact]
    public async Task Post_TheSameFormTwice_MakesOneTipAndShowsTheSameReceipt()
    {
        var client = NewClient();
        var (first, fields) = await TipForms.SubmitAsync(client, "/tips/new?notice=2014-90002", f => f["Input.Description"] = "Same form sent twice by a double click.");
        var firstReceipt = await TipForms.ReceiptAsync(client, first);

        var second = await client.PostAsync("/tips/new?notice=2014-90002", new FormUrlEncodedContent(fields));
        var secondReceipt = await TipForms.ReceiptAsync(client, second);

        Assert.Equal(firstReceipt, secondReceipt);
        var count = await factory.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])));
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Post_TenConcurrentSubmitsOfOneForm_MakeOneTip()
    {
        var client = NewClient();
        var page = await client.GetAsync("/tips/new");
        var document = await Html.ParseAsync(page);
        var fields = Html.FormFields(document);
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(document);
        fields["Input.Description"] = "Ten concurrent submits of the same form.";

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            client.PostAsync("/tips/new", new FormUrlEncodedContent(fields))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var count = await factory.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])));
        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData("", "Please say what you saw or know.")]
    [InlineData("short", "at least 10 characters")]
    [InlineData("bell\u0007 character in the text", "characters we cannot accept")]
    public async Task Post_WithBadDescription_ShowsErrorKeepsInputAndStoresNothing(string description, string error)
    {
        var before = await factory.ScopedAsync(db => db.Tips.CountAsync());
        var client = NewClient();

        var (response, _) = await TipForms.SubmitAsync(client, "/tips/new", f =>
        {
            f["Input.Description"] = description;
            f["Input.Place"] = "Kept place text";
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(error, page.QuerySelector("[data-valmsg-for='Input.Description']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Kept place text", page.QuerySelector("#Input_Place")!.GetAttribute("value"));
        Assert.Equal(before, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Fact]
    public async Task Post_WithAnError_TiesTheFieldToItsMessageForScreenReaders()
    {
        var (response, _) = await TipForms.SubmitAsync(NewClient(), "/tips/new", f => f["Input.Description"] = "");

        var page = await Html.ParseAsync(response);
        var field = page.QuerySelector("#Input_Description")!;
        Assert.Equal("true", field.GetAttribute("aria-invalid"));
        var describedBy = field.GetAttribute("aria-describedby")!.Split(' ');
        Assert.Contains("description-hint", describedBy);
        var message = page.GetElementById(describedBy.Single(id => id != "description-hint"))!;
        Assert.Contains("Please say what you saw or know.", message.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#Input_Place")!.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task Post_OverlongDescription_IsRejectedWithItsLimit()
    {
        var client = NewClient();
        var (response, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = new string('x', 5001));

        var page = await Html.ParseAsync(response);
        Assert.Contains("under 5000 characters", page.QuerySelector("[data-valmsg-for='Input.Description']")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Input.SightingCountry", "Kenya", "choose a country from the list")]
    [InlineData("Input.SightingCountry", "XX", "choose a country from the list")]
    [InlineData("Input.HowKnown", "Psychic", "choose one of the options")]
    [InlineData("Input.Certainty", "Absolutely", "choose one of the options")]
    [InlineData("Input.SightedOn", "31/02/2026", "day, month and year")]
    [InlineData("Input.ContactDetails", "call me on 555", "chose to stay anonymous")]
    [InlineData("Input.SightedOn", "2999-01-01", "cannot be in the future")]
    [InlineData("Input.SightedOn", "1900-01-01", "after 1 January 1990")]
    [InlineData("Input.Place", "line one\nline two", "characters we cannot accept")]
    public async Task Post_WithBadOptionalField_ShowsItsError(string field, string value, string error)
    {
        var client = NewClient();
        var (response, _) = await TipForms.SubmitAsync(client, "/tips/new", f =>
        {
            f["Input.Description"] = "A valid description of what was seen.";
            f[field] = value;
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(error, page.QuerySelector($"[data-valmsg-for='{field}']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithTheHoneypotFilled_SaysSoAtTheTop_KeepsTheText_AndClearsTheHiddenField()
    {
        var client = NewClient();
        var (response, fields) = await TipForms.SubmitAsync(client, "/tips/new", f =>
        {
            f["Input.Description"] = "A valid description of what was seen.";
            f["Input.Website"] = "http://autofilled.example";
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("must stay empty", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Equal("", page.QuerySelector("#Input_Website")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Post_WithABadFile_MarksTheFileFieldInvalidAndPointsItAtTheError()
    {
        var client = NewClient();
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "A valid description of what was seen.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        using var content = TipForms.WithFiles(fields, "Input.Attachments", ("notes.txt", "not a picture"u8.ToArray(), "text/plain"));
        var result = await Html.ParseAsync(await client.PostAsync("/tips/new", content));

        var input = result.QuerySelector("#Input_Attachments")!;
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        var error = input.GetAttribute("aria-describedby")!.Split(' ').Select(id => result.GetElementById(id)!.TextContent);
        Assert.Contains(error, text => text.Contains("notes.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_ScriptPayload_IsStoredAndShownEscaped()
    {
        var client = NewClient();
        var (response, _) = await TipForms.SubmitAsync(client, "/tips/new", f =>
        {
            f["Input.Description"] = "x";
            f["Input.Place"] = "<script>alert(1)</script>";
        });

        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithAnExpiredPageToken_GivesTheFormBackWithTheText()
    {
        var client = NewClient();
        var (response, fields) = await TipForms.SubmitAsync(client, "/tips/new", f =>
        {
            f["Input.Description"] = "Written while the page sat open for hours.";
            f["__RequestVerificationToken"] = "stale";
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("page had expired", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Written while the page sat open for hours.", page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"]))));
    }

    [Fact]
    public async Task Post_FromABrowserThatKeepsNoCookies_StoresTheTip_AndShowsTheReceiptInPlace_EvenOnReload()
    {
        var cookieless = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var (response, fields) = await TipForms.SubmitAsync(cookieless, "/tips/new", f => f["Input.Description"] = "Written in a browser that blocks every cookie.");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var receipt = (await Html.ParseAsync(response)).QuerySelector("#receipt-code")?.TextContent;
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$", receipt);

        // A reload re-posts the same form: the same receipt, nothing stored twice.
        var reload = await cookieless.PostAsync("/tips/new", new FormUrlEncodedContent(fields));
        Assert.Equal(receipt, (await Html.ParseAsync(reload)).QuerySelector("#receipt-code")?.TextContent);
        Assert.Equal(1, await factory.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"]))));
    }

    [Fact]
    public async Task Post_AboutANoticeWithdrawnMeanwhile_KeepsTheTextAndOffersAGeneralReport()
    {
        using var own = new AppFactory();
        var client = Clients.New(own);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new?notice=2014-90007"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Seen on a trawler last week.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        await Notices.NoticePagesTests.SetStatusAsync(own, "2014-90007", NoticeStatus.Withdrawn, DateTime.UtcNow);

        var returned = await Html.ParseAsync(await client.PostAsync("/tips/new?notice=2014-90007", new FormUrlEncodedContent(fields)));

        Assert.Contains("no longer published", returned.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Seen on a trawler last week.", returned.QuerySelector("#Input_Description")!.TextContent.Trim());
        var again = Html.FormFields(returned);
        Assert.Equal("", again["Input.Notice"]);
        again["Input.CheckAnswer"] = TipForms.AnswerTo(returned);
        var sent = await client.PostAsync("/tips/new", new FormUrlEncodedContent(again));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(Tip.GeneralDesk, await own.ScopedAsync(db => db.Tips.Select(t => t.Desk).SingleAsync()));
    }

    [Fact]
    public async Task Form_ForUnknownNotice_Gets404()
    {
        var response = await NewClient().GetAsync("/tips/new?notice=2099-99999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Form_ForANotice_ShowsItsCautionAndSafetyNote()
    {
        var page = await Html.ParseAsync(await NewClient().GetAsync("/tips/new?notice=2014-90001"));

        Assert.Contains("May be armed", page.QuerySelector(".caution")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("emergency services", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TipPages_AreNeverStored()
    {
        var response = await NewClient().GetAsync("/tips/new");
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiptPage_WithoutASubmission_ShowsNoCode()
    {
        var page = await Html.ParseAsync(await NewClient().GetAsync("/tips/receipt"));
        Assert.Null(page.QuerySelector("#receipt-code"));
        Assert.Equal("No receipt to show", page.QuerySelector("h1")!.TextContent);
    }
}
