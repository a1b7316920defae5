using System.Net;

namespace InfraTerra.Tests.Support;

public static class TipForms
{
    /// <summary>Opens the tip form, fills it in and posts it, as a browser without JavaScript would.</summary>
    public static async Task<(HttpResponseMessage Response, Dictionary<string, string> Fields)> SubmitAsync(
        HttpClient client, string path, Action<Dictionary<string, string>> fill)
    {
        var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await Html.ParseAsync(page);
        var fields = Html.FormFields(document);
        fields["Input.CheckAnswer"] = AnswerTo(document);
        fill(fields);
        var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        return (response, fields);
    }

    /// <summary>Reads "What is 3 plus 4?" off the page and answers it, as a person would.</summary>
    public static string AnswerTo(AngleSharp.Dom.IDocument page) =>
        AnswerTo(page.QuerySelector("#check-question")?.TextContent
            ?? throw new InvalidOperationException("The tip form shows no question."));

    public static string AnswerTo(string question)
    {
        var numbers = System.Text.RegularExpressions.Regex.Matches(question, @"\d+").Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return (numbers[0] + numbers[1]).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A form as a browser sends it with files: its fields, then each file under <paramref name="fileField"/>.</summary>
    public static MultipartFormDataContent WithFiles(
        Dictionary<string, string> fields, string fileField, params (string Name, byte[] Bytes, string DeclaredType)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var (name, bytes, declared) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(declared);
            content.Add(file, fileField, name);
        }

        return content;
    }

    public static async Task<string> ReceiptAsync(HttpClient client, HttpResponseMessage postResponse)
    {
        Assert.Equal(HttpStatusCode.Redirect, postResponse.StatusCode);
        Assert.Equal("/tips/receipt", postResponse.Headers.Location?.OriginalString);
        var receipt = await client.GetAsync("/tips/receipt");
        var document = await Html.ParseAsync(receipt);
        return document.QuerySelector("#receipt-code")?.TextContent
            ?? throw new InvalidOperationException("No receipt code on the receipt page.");
    }
}
