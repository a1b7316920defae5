using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// Reads the bodies of public form posts (<see cref="PublicFormAttribute"/>) in memory only, and
/// admits at most <see cref="Slots"/> large ones at a time, so that memory stays bounded. Others
/// wait briefly (their senders are held back by the socket meanwhile). A post that still finds no
/// slot has only its text read (<see cref="TextOnlyForm"/>) and is marked
/// <see cref="PublicFormPost.Overloaded"/>: its page gives the form back with a 503, so nothing
/// typed is lost. Anything else (too many such reads at once, text beyond bounds) gets a 503 page
/// saying why, its body unread. It also keeps every request to an endpoint without HTTP metrics
/// (public forms, the tip's challenge and receipt) out of them, error pages included (ADR 0005).
/// </summary>
public sealed class PublicFormGate : IMiddleware
{
    /// <summary>A body this small (a text-only form) costs little memory and needs no slot; Kestrel holds it to its declared length.</summary>
    public const long SmallBodyBytes = 64 * 1024;

    /// <summary>A full 60 MB body, and the doubling of the buffer it grows in.</summary>
    private const long BytesPerSlot = 128L * 1024 * 1024;

    /// <summary>Posts read for their text alone at once: <see cref="TextOnlyForm.MaxTotalBytes"/> each at most.</summary>
    private const int MaxTextOnlyReads = 64;

    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _wait;
    private readonly int _maxWaiting;
    private int _waiting;
    private int _textOnlyReads;

    public PublicFormGate(IConfiguration configuration)
    {
        Slots = configuration.GetValue("PublicForms:ConcurrentUploads", DefaultSlots());
        if (Slots < 1)
        {
            throw new InvalidOperationException("PublicForms:ConcurrentUploads must be at least 1.");
        }

        _wait = TimeSpan.FromSeconds(configuration.GetValue("PublicForms:UploadWaitSeconds", 10.0));
        _slots = new SemaphoreSlim(Slots, Slots);
        _maxWaiting = 4 * Slots;
    }

    public int Slots { get; }

    public int FreeSlots => _slots.CurrentCount;

    /// <summary>As many bodies as fit in a quarter of the memory the process may use, between 2 and 16.</summary>
    public static int DefaultSlots() =>
        (int)Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 / BytesPerSlot, 2, 16);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();

        // A public form (its attribute says so), the tip's challenge or its receipt: not counted in the
        // HTTP metrics, whatever the answer. The feature's flag, unlike the endpoint's metadata, also
        // holds when the answer is an error page re-executed on another endpoint.
        if (endpoint?.Metadata.GetMetadata<IDisableHttpMetricsMetadata>() is not null
            && context.Features.Get<IHttpMetricsTagsFeature>() is { } metricsTags)
        {
            metricsTags.MetricsDisabled = true;
        }

        var form = endpoint?.Metadata.GetMetadata<PublicFormAttribute>();
        if (form is null)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var post = new PublicFormPost();
        if (!isRead)
        {
            context.Features.Set(post);
        }

        // Even a GET is bound from a form body if one is sent, so every body is read through here.
        var hasBody = request.ContentLength > 0
            || (request.ContentLength is null && (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? !isRead));
        if (!hasBody || request.ContentLength <= SmallBodyBytes)
        {
            await ReadInMemoryAsync(context, form, next);
            return;
        }

        if (!await EnterAsync(context.RequestAborted))
        {
            if (!isRead && !(request.ContentLength > form.MaxBytes) && await ReadTextOnlyAsync(context) is { } text)
            {
                post.Overloaded = true;
                post.DroppedFiles = text.DroppedFiles;
                context.Features.Set<IFormFeature>(new FormFeature(text.Form));
                await next(context);
                return;
            }

            post.Refused = true;
            context.Features.Set(post);
            // Nothing may read this body now, not even the error page the 503 is re-executed to.
            context.Features.Set<IFormFeature>(new FormFeature(FormCollection.Empty));
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "60";
            return;
        }

        try
        {
            await ReadInMemoryAsync(context, form, next);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Replaces the form reader before anything reads the body, so that every reader (model
    /// binding, antiforgery, an error page re-executed later) gets these in-memory limits.
    /// </summary>
    private static Task ReadInMemoryAsync(HttpContext context, PublicFormAttribute form, RequestDelegate next)
    {
        context.Features.Set<IFormFeature>(new FormFeature(context.Request, form.InMemoryFormOptions()));
        return next(context);
    }

    private async Task<TextOnlyForm.Result?> ReadTextOnlyAsync(HttpContext context)
    {
        try
        {
            return Interlocked.Increment(ref _textOnlyReads) <= MaxTextOnlyReads
                ? await TextOnlyForm.ReadAsync(context.Request, context.RequestAborted)
                : null;
        }
        finally
        {
            Interlocked.Decrement(ref _textOnlyReads);
        }
    }

    private async Task<bool> EnterAsync(CancellationToken aborted)
    {
        try
        {
            return Interlocked.Increment(ref _waiting) <= _maxWaiting && await _slots.WaitAsync(_wait, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
