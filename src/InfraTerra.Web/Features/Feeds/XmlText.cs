using System.Text;
using System.Xml;

namespace InfraTerra.Web.Features.Feeds;

internal static class XmlText
{
    /// <summary>
    /// Drops characters XML 1.0 cannot carry (most control characters, lone surrogates): one stray
    /// control character pasted into a notice would otherwise make the whole feed fail.
    /// </summary>
    public static string Valid(string text)
    {
        StringBuilder? valid = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                valid?.Append(c);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                valid?.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                valid ??= new StringBuilder(text.Length).Append(text, 0, i);
            }
        }

        return valid?.ToString() ?? text;
    }
}
