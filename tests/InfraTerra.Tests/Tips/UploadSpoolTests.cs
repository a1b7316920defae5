using System.Net;
using System.Net.Http.Headers;
using InfraTerra.Tests.Infrastructure;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// A photo sent with a tip never touches the disk in its original form (EXIF, GPS), neither while
/// it arrives nor when the tipster gives up half way. The app runs as its own process with its
/// temp folders inside a folder the test reads in full.
/// </summary>
public sealed class UploadSpoolTests(UploadSpoolTests.ProcessApp app) : IClassFixture<UploadSpoolTests.ProcessApp>
{
    private static readonly TimeSpan ScanFor = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task PhotoBeingUploaded_IsInNoFileUnderTheAppsTempAndDataFolders_DuringOrAfterTheUpload()
    {
        var marker = "SPOOL-PROBE-" + Guid.NewGuid().ToString("N");
        using var client = NewClient();
        var upload = await PausedUploadAsync(client, marker);

        await AssertNoFileHoldsAsync(marker, "while the upload was half way");
        upload.Resume.SetResult();
        var response = await upload.Response;

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/tips/receipt", response.Headers.Location?.OriginalString);
        await AssertNoFileHoldsAsync(marker, "after the upload");
    }

    [Fact]
    public async Task PhotoUploadAbortedHalfWay_LeavesItInNoFileUnderTheAppsTempAndDataFolders()
    {
        var marker = "SPOOL-PROBE-" + Guid.NewGuid().ToString("N");
        using var client = NewClient();
        using var abort = new CancellationTokenSource();
        var upload = await PausedUploadAsync(client, marker, abort.Token);

        await AssertNoFileHoldsAsync(marker, "while the upload was half way");
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.Response);

        await AssertNoFileHoldsAsync(marker, "after the upload was aborted");
        // The app is still up and still keeps nothing.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private HttpClient NewClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(app.Process.BaseUrl) };

    private static async Task<PausedUpload> PausedUploadAsync(HttpClient client, string marker, CancellationToken cancellationToken = default)
    {
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "A photo of the warehouse where the ivory is kept.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        var photo = TestFiles.LargePhotoWithExifText(marker);
        Assert.True(photo.Length > 1024 * 1024, $"the photo has only {photo.Length} bytes");

        using var form = TipForms.WithFiles(fields, "Input.Attachments", ("warehouse.jpg", photo, "image/jpeg"));
        var content = new PausingContent(await form.ReadAsByteArrayAsync(cancellationToken), form.Headers.ContentType!);
        var response = client.PostAsync("/tips/new", content, cancellationToken);
        await content.Paused.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return new PausedUpload(content.Resume, response);
    }

    /// <summary>Reads every file, again and again for a while: a spool file lives only as long as the request.</summary>
    private async Task AssertNoFileHoldsAsync(string marker, string when)
    {
        var until = DateTime.UtcNow + ScanFor;
        do
        {
            var found = app.Process.FilesContaining(marker);
            Assert.True(found.Count == 0, $"{when}, the photo's EXIF was on disk in: {string.Join(", ", found)}");
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < until);
    }

    private sealed record PausedUpload(TaskCompletionSource Resume, Task<HttpResponseMessage> Response);

    /// <summary>A request body sent in two halves: the second only once the test says so (or never).</summary>
    private sealed class PausingContent : HttpContent
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

    public sealed class ProcessApp : IAsyncLifetime
    {
        public AppProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await AppProcess.StartAsync();

        public Task DisposeAsync()
        {
            Process.Dispose();
            return Task.CompletedTask;
        }
    }
}
