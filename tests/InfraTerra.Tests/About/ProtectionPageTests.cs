using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.About;

public sealed class ProtectionPageTests(SharedApp factory) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task ProtectionPage_SaysTimesAreKeptToTheHour_AndFilesOnlyAsAKeyedFingerprint()
    {
        var page = await Html.ParseAsync(await factory.CreateClient().GetAsync("/about/protection"));
        var text = page.QuerySelector("main")!.TextContent;

        Assert.Contains("the hour it arrived", text, StringComparison.Ordinal);
        Assert.Contains("kept to the hour only, and reports are not numbered", text, StringComparison.Ordinal);
        Assert.Contains("a fingerprint made with a secret key that only this portal holds", page.QuerySelector("#file-fingerprint")!.TextContent, StringComparison.Ordinal);
    }
}
