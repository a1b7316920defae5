namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>
/// Too many files are waiting to be checked: the post is turned away with a 503 and its text kept,
/// instead of waiting without end.
/// </summary>
public sealed class UploadsBusyException : Exception
{
    public UploadsBusyException()
        : base("Too many uploads are waiting to be inspected.")
    {
    }

    public UploadsBusyException(string message)
        : base(message)
    {
    }

    public UploadsBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
