using System.Net;
using InfraTerra.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Tips;

public sealed class HumanCheckTests
{
    private static async Task<(HttpClient Client, Dictionary<string, string> Fields, AngleSharp.Dom.IDocument Page)> OpenFormAsync(AppFactory factory)
    {
        var client = Clients.New(factory);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Seen unloading timber at the river port.";
        return (client, fields, page);
    }

    [Theory]
    [InlineData("99", "not right")]
    [InlineData("", "answer the question")]
    [InlineData("seven", "not right")]
    public async Task WrongAnswer_KeepsTheTextAsksANewQuestionAndStoresNothing(string answer, string error)
    {
        using var factory = new AppFactory();
        var (client, fields, _) = await OpenFormAsync(factory);
        fields["Input.CheckAnswer"] = answer;

        var response = await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(error, page.QuerySelector("[data-valmsg-for='Input.CheckAnswer']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
        Assert.NotEqual(fields["Input.CheckToken"], page.QuerySelector("input[name='Input.CheckToken']")!.GetAttribute("value"));
        Assert.Equal(0, await factory.ScopedAsync(db => db.Tips.CountAsync()));

        var retry = Html.FormFields(page);
        retry["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(retry))).StatusCode);
    }

    [Fact]
    public async Task AnswerInArabicIndicDigits_IsAccepted()
    {
        using var factory = new AppFactory();
        var (client, fields, page) = await OpenFormAsync(factory);
        fields["Input.CheckAnswer"] = string.Concat(TipForms.AnswerTo(page).Select(c => (char)('\u0660' + (c - '0'))));

        var response = await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task ForgedOrReusedToken_IsRefused()
    {
        using var factory = new AppFactory();
        var (client, fields, page) = await OpenFormAsync(factory);
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields))).StatusCode);

        // The same token with a new form (a bot replaying one solved check) is refused.
        var again = Html.FormFields(await Html.ParseAsync(await client.GetAsync("/tips/new")));
        again["Input.Description"] = "Second tip riding on the first tip's answer.";
        again["Input.CheckToken"] = fields["Input.CheckToken"];
        again["Input.CheckAnswer"] = fields["Input.CheckAnswer"];
        var reused = await Html.ParseAsync(await client.PostAsync("/tips/new", new FormUrlEncodedContent(again)));
        Assert.Contains("expired", reused.QuerySelector("[data-valmsg-for='Input.CheckAnswer']")!.TextContent, StringComparison.Ordinal);

        again["Input.CheckToken"] = "forged";
        var forged = await Html.ParseAsync(await client.PostAsync("/tips/new", new FormUrlEncodedContent(again)));
        Assert.Contains("expired", forged.QuerySelector("[data-valmsg-for='Input.CheckAnswer']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await factory.ScopedAsync(db => db.Tips.CountAsync()));
    }

    [Fact]
    public async Task AnsweredFasterThanAPersonCould_IsRefused()
    {
        using var factory = new AppFactory(new() { ["Captcha:MinimumFillSeconds"] = "30" });
        var (client, fields, page) = await OpenFormAsync(factory);
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);

        var response = await Html.ParseAsync(await client.PostAsync("/tips/new", new FormUrlEncodedContent(fields)));

        Assert.Contains("very fast", response.QuerySelector("[data-valmsg-for='Input.CheckAnswer']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ProviderNone_OutsideDevelopment_RefusesToStart()
    {
        using var factory = new AppFactory(new()
        {
            ["Captcha:Provider"] = "None",
            ["Tips:MasterKeyId"] = "k",
            ["Tips:MasterKey"] = Convert.ToBase64String(new byte[32]),
            ["Tips:LookupKey"] = Convert.ToBase64String(new byte[32]),
            ["Audit:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["DataProtection:CertificatePath"] = TestCertificate.Create(),
        }, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Captcha:Provider None", error.ToString(), StringComparison.Ordinal);
    }
}
