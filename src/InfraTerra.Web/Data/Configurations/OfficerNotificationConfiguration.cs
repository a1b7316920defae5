using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class OfficerNotificationConfiguration : IEntityTypeConfiguration<OfficerNotification>
{
    public void Configure(EntityTypeBuilder<OfficerNotification> builder)
    {
        builder.Property(n => n.OfficerId).HasMaxLength(450).IsRequired();
        // Restrict: officers are disabled, never deleted, and SQL Server refuses a second cascade path through Tips.
        builder.HasOne<OfficerUser>().WithMany().HasForeignKey(n => n.OfficerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tip>().WithMany().HasForeignKey(n => n.TipId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(n => n.DedupKey).HasMaxLength(200).IsRequired();
        builder.HasIndex(n => n.DedupKey).IsUnique();
        builder.HasIndex(n => new { n.OfficerId, n.ReadAtUtc });
    }
}
