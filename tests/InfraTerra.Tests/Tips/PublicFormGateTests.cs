using System.Net;
using InfraTerra.Tests.Infrastructure;

namespace InfraTerra.Tests.Tips;

public sealed class PublicFormGateTests
{
    [Fact]
    public async Task WhileTheOnlyUploadSlotIsTaken_ALargePostGetsA503PageSayingWhy_ATextOnlyPostStillGoesThrough()
    {
        using var factory = new AppFactory(new()
        {
            ["PublicForms:ConcurrentUploads"] = "1",
            ["PublicForms:UploadWaitSeconds"] = "0.5",
        });
        var baseUrl = factory.StartKestrel();
        var photo = TestFiles.LargePhotoWithExifText("GATE-PROBE");
        using var first = NewClient(baseUrl);
        var held = await PausedUpload.TipWithPhotoAsync(first, photo);

        using var second = NewClient(baseUrl);
        var page = await Html.ParseAsync(await second.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Another photo of the warehouse.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        using var form = TipForms.WithFiles(fields, "Input.Attachments", ("warehouse.jpg", photo, "image/jpeg"));
        var refused = await second.PostAsync("/tips/new", form);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        var explanation = (await Html.ParseAsync(refused)).QuerySelector("main")!.TextContent;
        Assert.Contains("Too many uploads at once", explanation, StringComparison.Ordinal);
        Assert.Contains("Go back, wait a minute and send it again.", explanation, StringComparison.Ordinal);

        var (textOnly, _) = await TipForms.SubmitAsync(second, "/tips/new", f => f["Input.Description"] = "Seen at the harbour, no photo.");
        Assert.Equal(HttpStatusCode.Redirect, textOnly.StatusCode);

        held.Resume.SetResult();
        Assert.Equal(HttpStatusCode.Redirect, (await held.Response).StatusCode);
    }

    private static HttpClient NewClient(string baseUrl) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
}
