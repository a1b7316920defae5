using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

public sealed class PublicFormGateTests
{
    private const string Overloaded = "Many people are sending files right now, so nothing was sent. What you wrote is kept below: please choose your files again and send it in a minute.";
    private const string FilesAgain = "Please choose them again.";

    [Fact]
    public async Task WhileTheOnlyUploadSlotIsTaken_ALargeTipGetsA503WithItsTextBack_StoresNothing_AndIsOneTipWhenSentAgain()
    {
        using var factory = GateFactory();
        var baseUrl = factory.StartKestrel();
        var photo = TestFiles.LargePhotoWithExifText("GATE-PROBE");
        using var first = NewClient(baseUrl);
        var held = await PausedUpload.TipWithPhotoAsync(first, photo);
        await SlotsTakenAsync(factory);

        using var second = NewClient(baseUrl);
        var page = await Html.ParseAsync(await second.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        fields.Remove("Input.Description");
        using var form = TipForms.WithFiles(fields, "Input.Attachments", ("warehouse.jpg", photo, "image/jpeg"));
        // After the file, as a field below the file input would be: the photo is streamed past, the text still read.
        form.Add(new StringContent("Another photo of the warehouse, taken from the canal."), "Input.Description");
        var refused = await second.PostAsync("/tips/new", form);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        var back = await Html.ParseAsync(refused);
        Assert.Equal("Another photo of the warehouse, taken from the canal.", back.QuerySelector("textarea[name='Input.Description']")!.TextContent.Trim());
        Assert.Equal(fields["Input.FormKey"], back.QuerySelector("input[name='Input.FormKey']")!.GetAttribute("value"));
        var main = back.QuerySelector("main")!.TextContent;
        Assert.Contains(Overloaded, main, StringComparison.Ordinal);
        Assert.Contains(FilesAgain, main, StringComparison.Ordinal);
        Assert.Equal(0, await TipsWithKeyAsync(factory, fields["Input.FormKey"]));

        var (textOnly, _) = await TipForms.SubmitAsync(second, "/tips/new", f => f["Input.Description"] = "Seen at the harbour, no photo.");
        Assert.Equal(HttpStatusCode.Redirect, textOnly.StatusCode);

        held.Resume.SetResult();
        Assert.Equal(HttpStatusCode.Redirect, (await held.Response).StatusCode);

        var again = Html.FormFields(back);
        again["Input.CheckAnswer"] = TipForms.AnswerTo(back);
        using var resent = TipForms.WithFiles(again, "Input.Attachments", ("warehouse.jpg", photo, "image/jpeg"));
        Assert.Equal(HttpStatusCode.Redirect, (await second.PostAsync("/tips/new", resent)).StatusCode);
        Assert.Equal(1, await TipsWithKeyAsync(factory, fields["Input.FormKey"]));
    }

    [Fact]
    public async Task WhileTheOnlyUploadSlotIsTaken_ALargePostFromAnotherSite_IsGivenBackWithANewFormKey_NotTheOneThatSiteChose()
    {
        using var factory = GateFactory();
        var baseUrl = factory.StartKestrel();
        var photo = TestFiles.LargePhotoWithExifText("GATE-PROBE");
        using var first = NewClient(baseUrl);
        var held = await PausedUpload.TipWithPhotoAsync(first, photo);
        await SlotsTakenAsync(factory);

        // Another site fills in a form key of its choosing and sends a large body, so that the
        // tipster would otherwise see our overloaded page and send the tip from here under that key.
        using var second = NewClient(baseUrl);
        var fields = Html.FormFields(await Html.ParseAsync(await second.GetAsync("/tips/new")));
        var chosenKey = fields["Input.FormKey"];
        fields["Input.Description"] = "Text a lookalike site sent on the tipster's behalf.";
        using var form = TipForms.WithFiles(fields, "Input.Attachments", ("warehouse.jpg", photo, "image/jpeg"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tips/new") { Content = form };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        var refused = await second.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var back = await Html.ParseAsync(refused);
        Assert.Equal(fields["Input.Description"], back.QuerySelector("textarea[name='Input.Description']")!.TextContent.Trim());
        var givenKey = back.QuerySelector("input[name='Input.FormKey']")!.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(givenKey));
        Assert.NotEqual(chosenKey, givenKey);

        held.Resume.SetResult();
        Assert.Equal(HttpStatusCode.Redirect, (await held.Response).StatusCode);
    }

    [Fact]
    public async Task WhileTheOnlyUploadSlotIsTaken_AFollowUpReplyWithAPhotoGetsA503WithTheAnswerBack_AndStoresNothing()
    {
        using var factory = GateFactory();
        var baseUrl = factory.StartKestrel();
        var photo = TestFiles.LargePhotoWithExifText("GATE-PROBE");
        using var second = NewClient(baseUrl);
        var (posted, _) = await TipForms.SubmitAsync(second, "/tips/new", f => f["Input.Description"] = "Seen at the airport, departures hall.");
        var receipt = await TipForms.ReceiptAsync(second, posted);
        var lookup = Html.FormFields(await Html.ParseAsync(await second.GetAsync("/tips/follow-up")));
        lookup["Receipt"] = receipt;
        var opened = await second.PostAsync("/tips/follow-up?handler=Open", new FormUrlEncodedContent(lookup));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var fields = Html.FormFields(await Html.ParseAsync(opened));
        fields["Reply.Message"] = "Here is a photo of the blue car.";

        using var first = NewClient(baseUrl);
        var held = await PausedUpload.TipWithPhotoAsync(first, photo);
        await SlotsTakenAsync(factory);
        using var form = TipForms.WithFiles(fields, "Reply.Attachments", ("car.jpg", photo, "image/jpeg"));
        var refused = await second.PostAsync("/tips/follow-up?handler=Reply", form);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        var back = await Html.ParseAsync(refused);
        Assert.Equal("Here is a photo of the blue car.", back.QuerySelector("textarea[name='Reply.Message']")!.TextContent.Trim());
        var main = back.QuerySelector("main")!.TextContent;
        Assert.Contains(Overloaded, main, StringComparison.Ordinal);
        Assert.Contains(FilesAgain, main, StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipMessages.CountAsync()));
        Assert.Equal(0, await factory.ScopedAsync(db => db.TipAttachments.CountAsync()));

        held.Resume.SetResult();
        Assert.Equal(HttpStatusCode.Redirect, (await held.Response).StatusCode);
    }

    [Fact]
    public async Task WhileTheOnlyUploadSlotIsTaken_ALargeUrlEncodedTipGetsA503WithItsTextBack()
    {
        using var factory = GateFactory();
        var baseUrl = factory.StartKestrel();
        using var first = NewClient(baseUrl);
        var held = await PausedUpload.TipWithPhotoAsync(first, TestFiles.LargePhotoWithExifText("GATE-PROBE"));
        await SlotsTakenAsync(factory);

        using var second = NewClient(baseUrl);
        var page = await Html.ParseAsync(await second.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Seen near the old mill, twice this week.";
        for (var i = 0; i < 3; i++)
        {
            fields[$"Unknown{i}"] = new string('x', 25 * 1024);
        }

        var refused = await second.PostAsync("/tips/new", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        var back = await Html.ParseAsync(refused);
        Assert.Equal("Seen near the old mill, twice this week.", back.QuerySelector("textarea[name='Input.Description']")!.TextContent.Trim());
        Assert.Contains(Overloaded, back.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await TipsWithKeyAsync(factory, fields["Input.FormKey"]));

        held.Resume.SetResult();
        Assert.Equal(HttpStatusCode.Redirect, (await held.Response).StatusCode);
    }

    [Fact]
    public async Task WhileTheOnlyUploadSlotIsTaken_ATextFieldBeyondItsBoundIsNotRead_AndGetsThe503PageSayingWhy()
    {
        using var factory = GateFactory();
        var baseUrl = factory.StartKestrel();
        var photo = TestFiles.LargePhotoWithExifText("GATE-PROBE");
        using var first = NewClient(baseUrl);
        var held = await PausedUpload.TipWithPhotoAsync(first, photo);
        await SlotsTakenAsync(factory);

        using var second = NewClient(baseUrl);
        var fields = Html.FormFields(await Html.ParseAsync(await second.GetAsync("/tips/new")));
        fields["Input.Description"] = new string('x', 40 * 1024);
        using var form = TipForms.WithFiles(fields, "Input.Attachments", ("warehouse.jpg", photo, "image/jpeg"));
        var refused = await second.PostAsync("/tips/new", form);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        var explanation = (await Html.ParseAsync(refused)).QuerySelector("main")!.TextContent;
        Assert.Contains("Too many uploads at once", explanation, StringComparison.Ordinal);
        Assert.Contains("Go back, wait a minute and send it again.", explanation, StringComparison.Ordinal);

        held.Resume.SetResult();
        Assert.Equal(HttpStatusCode.Redirect, (await held.Response).StatusCode);
    }

    private static AppFactory GateFactory() => new(new()
    {
        ["PublicForms:ConcurrentUploads"] = "1",
        ["PublicForms:UploadWaitSeconds"] = "0.5",
    });

    /// <summary>The held upload has reached the gate: its first half is sent, but the server may not have seen it yet.</summary>
    private static async Task SlotsTakenAsync(AppFactory factory)
    {
        var gate = factory.Services.GetRequiredService<PublicFormGate>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (gate.FreeSlots > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the held upload never took its slot");
            await Task.Delay(20);
        }
    }

    private static Task<int> TipsWithKeyAsync(AppFactory factory, string formKey) =>
        factory.ScopedAsync(db => db.Tips.CountAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(formKey)));

    private static HttpClient NewClient(string baseUrl) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
}
