using System.Net;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// A photo sent with a tip never touches the disk in its original form (EXIF, GPS), neither while
/// it arrives nor when the tipster gives up half way. The app runs as its own process with its
/// temp folders inside a folder the test reads in full.
/// </summary>
public sealed class UploadSpoolTests(UploadSpoolTests.ProcessApp app) : IClassFixture<UploadSpoolTests.ProcessApp>
{
    private static readonly TimeSpan ScanFor = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("tip")]
    [InlineData("follow-up")]
    public async Task PhotoBeingUploaded_IsInNoFileUnderTheAppsTempAndDataFolders_DuringOrAfterTheUpload(string form)
    {
        var marker = "SPOOL-PROBE-" + Guid.NewGuid().ToString("N");
        using var client = NewClient();
        var upload = await StartAsync(form, client, marker);

        await AssertNoFileHoldsAsync(marker, "while the upload was half way");
        upload.Resume.SetResult();
        var response = await upload.Response;

        // The tip goes on to its receipt; the reply is shown in the conversation.
        Assert.Equal(form == "tip" ? HttpStatusCode.Redirect : HttpStatusCode.OK, response.StatusCode);
        await AssertNoFileHoldsAsync(marker, "after the upload");
    }

    [Theory]
    [InlineData("tip")]
    [InlineData("follow-up")]
    public async Task PhotoUploadAbortedHalfWay_LeavesItInNoFileUnderTheAppsTempAndDataFolders(string form)
    {
        var marker = "SPOOL-PROBE-" + Guid.NewGuid().ToString("N");
        using var client = NewClient();
        using var abort = new CancellationTokenSource();
        var upload = await StartAsync(form, client, marker, abort.Token);

        await AssertNoFileHoldsAsync(marker, "while the upload was half way");
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.Response);

        await AssertNoFileHoldsAsync(marker, "after the upload was aborted");
        // The app is still up and still keeps nothing.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private static Task<PausedUpload> StartAsync(string form, HttpClient client, string marker, CancellationToken cancellationToken = default) =>
        form == "tip"
            ? PausedUpload.TipWithPhotoAsync(client, TestFiles.LargePhotoWithExifText(marker), cancellationToken)
            : PausedUpload.FollowUpReplyWithPhotoAsync(client, TestFiles.LargePhotoWithExifText(marker), cancellationToken);

    private HttpClient NewClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(app.Process.BaseUrl) };

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
