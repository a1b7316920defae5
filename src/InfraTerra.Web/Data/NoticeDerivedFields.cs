using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InfraTerra.Web.Data;

/// <summary>
/// Keeps a notice's derived fields right whoever saves it: the search name from the names and aliases,
/// the time of the last change (also when only a warrant, photo or translation changed), the time its
/// status changed, and the revision that optimistic concurrency compares.
/// </summary>
public sealed class NoticeDerivedFields(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            var untracked = UntrackedOwners(context);
            if (untracked.Count > 0)
            {
                _ = context.Set<Notice>().Where(n => untracked.Contains(n.Id)).ToList();
            }

            Apply(context);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            var untracked = UntrackedOwners(context);
            if (untracked.Count > 0)
            {
                // A warrant, photo or translation saved without its notice loaded: load the notice so it is stamped too.
                _ = await context.Set<Notice>().Where(n => untracked.Contains(n.Id)).ToListAsync(cancellationToken);
            }

            Apply(context);
        }

        return result;
    }

    private static List<int> UntrackedOwners(DbContext context)
    {
        var tracked = context.ChangeTracker.Entries<Notice>().Select(e => e.Entity.Id).ToHashSet();
        return [.. ChangedParts(context.ChangeTracker).Where(id => id > 0 && !tracked.Contains(id))];
    }

    private void Apply(DbContext context)
    {
        var tracker = context.ChangeTracker;
        var notices = tracker.Entries<Notice>().ToList();
        if (notices.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var changedParts = ChangedParts(tracker);
        foreach (var entry in notices)
        {
            var touched = entry.State == EntityState.Modified
                || (entry.State == EntityState.Unchanged && changedParts.Contains(entry.Entity.Id));
            if (entry.State == EntityState.Added)
            {
                Stamp(entry, now, statusChanged: true, keepGiven: true);
            }
            else if (touched)
            {
                Stamp(entry, now, statusChanged: entry.Property(n => n.Status).IsModified, keepGiven: false);
                entry.Property(n => n.Revision).CurrentValue = entry.Property(n => n.Revision).OriginalValue + 1;
            }
        }
    }

    private static void Stamp(EntityEntry<Notice> entry, DateTime now, bool statusChanged, bool keepGiven)
    {
        var notice = entry.Entity;
        var searchName = SearchText.Normalize(string.Join(' ', [notice.FamilyName, notice.Forenames, .. notice.Aliases]));
        if (notice.SearchName != searchName)
        {
            entry.Property(n => n.SearchName).CurrentValue = searchName;
        }

        // Demo and bulk data give their own invented times; an edit is always now.
        if (!keepGiven || notice.UpdatedAtUtc == default)
        {
            entry.Property(n => n.UpdatedAtUtc).CurrentValue = now;
        }

        if (statusChanged && (!keepGiven || notice.StatusChangedAtUtc == default))
        {
            entry.Property(n => n.StatusChangedAtUtc).CurrentValue = now;
        }
    }

    /// <summary>The join table of notices and operations (Configurations/NoticeConfiguration).</summary>
    public const string OperationNoticesJoin = "OperationNotices";

    private static HashSet<int> ChangedParts(ChangeTracker tracker)
    {
        var ids = new HashSet<int>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                switch (entry.Entity)
                {
                    case Warrant w: ids.Add(w.NoticeId); break;
                    case NoticePhoto p: ids.Add(p.NoticeId); break;
                    case NoticeTranslation t: ids.Add(t.NoticeId); break;

                    // Joining or leaving an operation is a change of the notice too: without it, an edit of
                    // only its operations would skip the revision check and be overwritten by an older form.
                    case Dictionary<string, object> when entry.Metadata.Name == OperationNoticesJoin:
                        ids.Add((int)entry.Property(nameof(Operation.Notices) + "Id").CurrentValue!);
                        break;
                }
            }
        }

        return ids;
    }
}
