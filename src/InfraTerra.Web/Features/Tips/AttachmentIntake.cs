using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Tips;

/// <summary>
/// Files a tipster sends, with the tip or later with a reply: one set of limits, one inspection,
/// one set of error messages. <see cref="TipStore"/> seals what passes.
/// </summary>
public sealed class AttachmentIntake(OriginalFileHash fingerprints, DecodeGate gate, IStringLocalizer<SharedResource> t)
{
    /// <summary>
    /// A file that passed inspection, with the keyed fingerprint of the original as sent and the
    /// camera's position when the tipster asked to keep it.
    /// </summary>
    public sealed record CleanFile(Inspection Inspection, byte[] OriginalFingerprint, PhotoLocation? Location);

    /// <summary>Checks the files against every limit; problems go into <paramref name="errors"/> under <paramref name="key"/>.</summary>
    /// <exception cref="UploadsBusyException">Too many files are waiting for the <see cref="DecodeGate"/>.</exception>
    public async Task<IReadOnlyList<CleanFile>> InspectAsync(
        IReadOnlyList<IFormFile>? files, bool keepLocation, ModelStateDictionary errors, string key, CancellationToken cancellationToken)
    {
        files ??= [];
        if (files.Count > AttachmentInspector.MaxFiles)
        {
            errors.AddModelError(key, t["Please attach at most {0} files.", AttachmentInspector.MaxFiles]);
            return [];
        }

        if (files.Sum(f => f.Length) > AttachmentInspector.MaxTotalBytes)
        {
            errors.AddModelError(key, t["All files together can be at most {0} MB.", AttachmentInspector.MaxTotalBytes / (1024 * 1024)]);
            return [];
        }

        var clean = new List<CleanFile>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file.FileName);
            if (file.Length > AttachmentInspector.MaxFileBytes)
            {
                errors.AddModelError(key, t["“{0}” is larger than {1} MB.", name, AttachmentInspector.MaxFileBytes / (1024 * 1024)]);
                continue;
            }

            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            var original = buffer.ToArray();
            Inspection inspection;
            using (await gate.EnterAsync(cancellationToken))
            {
                inspection = AttachmentInspector.Inspect(original);
            }

            if (inspection.Problem is { } problem)
            {
                errors.AddModelError(key, problem switch
                {
                    UploadProblem.UnsupportedType => t["“{0}” is not a photo (JPEG, PNG, WebP) or a PDF.", name],
                    UploadProblem.TooManyPixels => t["“{0}” has too many pixels. Please send a smaller picture.", name],
                    UploadProblem.Polyglot => t["“{0}” contains more than a picture, so we cannot accept it.", name],
                    UploadProblem.ActiveContent => t["“{0}” is a PDF with active content (scripts or embedded files), which we cannot accept.", name],
                    UploadProblem.UncleanablePdfImage => t["“{0}” is a PDF with pictures in a format we cannot clean of hidden data. Please send the pictures as photos.", name],
                    _ => t["“{0}” seems damaged or incomplete.", name],
                });
                continue;
            }

            // Read from the original: the cleaned image no longer has it, which is the point of cleaning.
            var location = keepLocation && inspection.Width is not null ? ExifGps.Read(original) : null;
            clean.Add(new CleanFile(inspection, fingerprints.Of(original), location));
        }

        return clean;
    }
}
