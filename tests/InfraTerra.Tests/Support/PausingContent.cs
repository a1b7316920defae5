using System.Net;
using System.Net.Http.Headers;

namespace InfraTerra.Tests.Support;

/// <summary>A request body sent in two halves: the second only once the test says so (or never).</summary>
public sealed class PausingContent : HttpContent
{
    private readonly byte[] _body;

    public PausingContent(byte[] body, MediaTypeHeaderValue contentType)
    {
        _body = body;
        Headers.ContentType = contentType;
    }

    public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var half = _body.Length / 2;
        await stream.WriteAsync(_body.AsMemory(0, half), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        Paused.TrySetResult();
        await Resume.Task.WaitAsync(cancellationToken);
        await stream.WriteAsync(_body.AsMemory(half), cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}

/// <summary>A public form with a photo, posted as a browser would, whose body has stopped half way.</summary>
public sealed record PausedUpload(TaskCompletionSource Resume, Task<HttpResponseMessage> Response)
{
    public static async Task<PausedUpload> TipWithPhotoAsync(HttpClient client, byte[] photo, CancellationToken cancellationToken = default)
    {
        var form = await client.GetAsync("/tips/new", cancellationToken);
        Assert.True(form.StatusCode == HttpStatusCode.OK, $"GET /tips/new answered {form.StatusCode}");
        var page = await Html.ParseAsync(form);
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "A photo of the warehouse where the ivory is kept.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        return await StartAsync(client, "/tips/new", fields, "Input.Attachments", photo, cancellationToken);
    }

    /// <summary>Sends a text-only tip, opens its follow-up page and starts a reply carrying the photo.</summary>
    public static async Task<PausedUpload> FollowUpReplyWithPhotoAsync(HttpClient client, byte[] photo, CancellationToken cancellationToken = default)
    {
        var (posted, _) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "Seen at the airport, departures hall.");
        var receipt = await TipForms.ReceiptAsync(client, posted);
        var lookup = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/follow-up", cancellationToken)));
        lookup["Receipt"] = receipt;
        var opened = await client.PostAsync("/tips/follow-up?handler=Open", new FormUrlEncodedContent(lookup), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var fields = Html.FormFields(await Html.ParseAsync(opened));
        fields["Reply.Message"] = "Here is a photo of the car.";
        return await StartAsync(client, "/tips/follow-up?handler=Reply", fields, "Reply.Attachments", photo, cancellationToken);
    }

    private static async Task<PausedUpload> StartAsync(
        HttpClient client, string path, Dictionary<string, string> fields, string fileField, byte[] photo, CancellationToken cancellationToken)
    {
        Assert.True(photo.Length > 1024 * 1024, $"the photo has only {photo.Length} bytes");
        using var form = TipForms.WithFiles(fields, fileField, ("photo.jpg", photo, "image/jpeg"));
        var content = new PausingContent(await form.ReadAsByteArrayAsync(cancellationToken), form.Headers.ContentType!);
        var response = client.PostAsync(path, content, cancellationToken);
        await content.Paused.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return new PausedUpload(content.Resume, response);
    }
}
