using System.Globalization;
using System.Text;
using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Infrastructure.Crypto;

/// <summary>
/// What a sealed value belongs to, bound into its AES-GCM associated data: moving a blob to
/// another tip, purpose, row, author or place in the conversation makes it fail to open, even
/// when its wrapped data key is copied along.
/// </summary>
public readonly record struct SealBinding(
    Guid TipId, string Purpose, Guid? ItemId = null, MessageAuthor? Author = null, int? Position = null, Guid? MessageId = null)
{
    // Bumped whenever the layout changes, so values sealed under another layout never open by accident.
    private const string Version = "infraterra/tip-seal/v2";

    public byte[] ToAssociatedData() => Encoding.UTF8.GetBytes(string.Join(
        '\n',
        Version,
        TipId.ToString("N"),
        Purpose,
        ItemId?.ToString("N") ?? "-",
        Author is { } author ? ((int)author).ToString(CultureInfo.InvariantCulture) : "-",
        Position?.ToString(CultureInfo.InvariantCulture) ?? "-",
        MessageId?.ToString("N") ?? "-"));
}
