using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class TipConfiguration : IEntityTypeConfiguration<Tip>
{
    public void Configure(EntityTypeBuilder<Tip> builder)
    {
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.HasOne(t => t.Notice).WithMany().HasForeignKey(t => t.NoticeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(t => t.Desk).HasMaxLength(10).IsRequired();
        builder.Property(t => t.SightingCountry).HasMaxLength(2);
        builder.Property(t => t.MasterKeyId).HasMaxLength(50).IsRequired();
        builder.Property(t => t.SealedContent).IsRequired();
        builder.Property(t => t.WrappedDataKey).HasMaxLength(100).IsRequired();
        builder.Property(t => t.ReceiptLookupHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(t => t.ReceiptLookupHash).IsUnique();
        builder.Property(t => t.IdempotencyKeyHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(t => t.IdempotencyKeyHash).IsUnique();
        builder.Property(t => t.ReplayReceipt).HasMaxLength(100).IsRequired();
        builder.Property(t => t.AssignedToId).HasMaxLength(450);
        builder.HasOne<OfficerUser>().WithMany().HasForeignKey(t => t.AssignedToId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(t => t.Revision).IsConcurrencyToken();
        builder.HasMany<TipDeskShare>().WithOne().HasForeignKey(s => s.TipId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<TipCluster>().WithMany().HasForeignKey(t => t.ClusterId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(t => new { t.PriorityScore, t.SubmittedAtUtc, t.Id });
        builder.HasIndex(t => new { t.Desk, t.PriorityScore, t.SubmittedAtUtc, t.Id });
        builder.HasIndex(t => new { t.AssignedToId, t.PriorityScore, t.SubmittedAtUtc, t.Id });
        builder.HasIndex(t => new { t.NoticeId, t.SubmittedAtUtc });
        builder.HasIndex(t => new { t.NoticeId, t.PriorityScore, t.SubmittedAtUtc, t.Id });

        // A status (with or without a desk) and the threat filter find their first page without
        // sorting every match: at a million tips, "New on desk KE" sorted 35,000 rows per page.
        builder.HasIndex(t => new { t.Desk, t.Status, t.PriorityScore, t.SubmittedAtUtc, t.Id });
        builder.HasIndex(t => new { t.Status, t.PriorityScore, t.SubmittedAtUtc, t.Id });
        builder.HasIndex(t => new { t.ThreatToLife, t.PriorityScore, t.SubmittedAtUtc, t.Id });

        // The deadline reminders look for tips by age alone.
        builder.HasIndex(t => t.SubmittedAtUtc);
        // The dashboard's aggregates over a date range read this index alone, never the rows with their
        // sealed content: at a million tips, grouping a year by grade went from 12 s to under 1 s.
        builder.HasIndex(t => new { t.SubmittedAtUtc, t.Desk, t.Status, t.NoticeId, t.SourceGrade, t.InformationGrade, t.FirstActionAtUtc, t.FeedbackGivenAtUtc })
            .HasDatabaseName("IX_Tips_Dashboard");

        // Retention finds expired tips by status and the time it was set.
        builder.HasIndex(t => new { t.Status, t.StatusChangedAtUtc });
        builder.Property(t => t.RetentionHoldReason).HasMaxLength(500);
        builder.Property(t => t.RetentionHeldById).HasMaxLength(450);
        builder.Ignore(t => t.PublicStatus);
    }
}
