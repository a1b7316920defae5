using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace InfraTerra.Tests.Support;

public static class Html
{
    public static async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var context = BrowsingContext.New(Configuration.Default);
        return await context.OpenAsync(r => r.Content(html));
    }

    /// <summary>The named form's fields as the browser would post them (hidden fields and antiforgery token included).</summary>
    public static Dictionary<string, string> FormFields(IDocument document, string formSelector = "main form")
    {
        var form = (IHtmlFormElement)(document.QuerySelector(formSelector) ?? throw new InvalidOperationException($"No form '{formSelector}'."));
        var fields = new Dictionary<string, string>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    if (box.IsChecked)
                    {
                        fields[box.Name!] = box.Value;
                    }

                    break;
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    fields[input.Name] = input.Value ?? "";
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields[area.Name] = area.Value ?? "";
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields[select.Name] = select.Value ?? "";
                    break;
            }
        }

        return fields;
    }
}
