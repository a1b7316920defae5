using System.Security.Cryptography;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Triage;

/// <summary>Notes are sealed by the tip store under a binding of their tip, row, kind and author.</summary>
public sealed class TipNoteSealingTests(TipViewApp app) : IClassFixture<TipViewApp>
{
    private const string Officer = "officer-id";

    private async Task<(Guid TipId, TipNote Note)> NoteAsync(TipNoteKind kind, string text)
    {
        var (tipId, _) = await app.CreateTipAsync("A tip with a note");
        var note = await app.WithStoreAsync(store => store.AddNoteAsync(
            tipId, kind, text, new AuditEntry(new AuditActor(Officer, "officer@example.org"), AuditActions.NoteAdded, tipId), CancellationToken.None));
        return (tipId, note);
    }

    private Task<Tip> TipAsync(Guid tipId) => app.ScopedAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.Id == tipId));

    private Task<TipNote> StoredAsync(Guid noteId) => app.ScopedAsync(db => db.TipNotes.AsNoTracking().SingleAsync(n => n.Id == noteId));

    [Fact]
    public async Task AddNote_StoresItSealed_WithItsAuditRecord_AndOpensBack()
    {
        var (tipId, note) = await NoteAsync(TipNoteKind.StatusReason, "Duplicate of the tip from Durban");

        var stored = await StoredAsync(note.Id);
        Assert.Equal((TipNoteKind.StatusReason, Officer), (stored.Kind, stored.AuthorId));
        var tip = await TipAsync(tipId);
        Assert.Equal("Duplicate of the tip from Durban", app.WithStore(store => store.OpenNote(tip, stored)));
        var record = await app.ScopedAsync(db => db.AuditRecords.AsNoTracking().SingleAsync(r => r.TipId == tipId));
        Assert.Equal(AuditActions.NoteAdded, record.Action);
    }

    [Fact]
    public async Task NoteMovedToAnotherTip_FailsToOpen()
    {
        var (_, note) = await NoteAsync(TipNoteKind.Note, "Belongs to the first tip");
        var (otherTipId, _) = await app.CreateTipAsync("Another tip");
        var stored = await StoredAsync(note.Id);
        await app.ScopedAsync(db => db.TipNotes.Where(n => n.Id == note.Id).ExecuteUpdateAsync(set => set.SetProperty(n => n.TipId, otherTipId)));

        var moved = await StoredAsync(note.Id);
        var other = await TipAsync(otherTipId);

        Assert.Equal(stored.SealedBody, moved.SealedBody);
        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenNote(other, moved)));
    }

    [Fact]
    public async Task NoteRelabelledAsAnotherKindOrAuthor_FailsToOpen()
    {
        var (tipId, note) = await NoteAsync(TipNoteKind.Note, "Only a note");
        var tip = await TipAsync(tipId);
        var stored = await StoredAsync(note.Id);

        var relabelled = new TipNote { Id = stored.Id, TipId = stored.TipId, Kind = TipNoteKind.GradeNote, AuthorId = stored.AuthorId, SealedBody = stored.SealedBody };
        var reattributed = new TipNote { Id = stored.Id, TipId = stored.TipId, Kind = stored.Kind, AuthorId = "someone-else", SealedBody = stored.SealedBody };
        var otherRow = new TipNote { Id = Guid.NewGuid(), TipId = stored.TipId, Kind = stored.Kind, AuthorId = stored.AuthorId, SealedBody = stored.SealedBody };

        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenNote(tip, relabelled)));
        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenNote(tip, reattributed)));
        Assert.ThrowsAny<CryptographicException>(() => app.WithStore(store => store.OpenNote(tip, otherRow)));
    }
}
