using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class SavedQueueViewConfiguration : IEntityTypeConfiguration<SavedQueueView>
{
    public void Configure(EntityTypeBuilder<SavedQueueView> builder)
    {
        builder.Property(v => v.OfficerId).HasMaxLength(450).IsRequired();
        builder.HasOne<OfficerUser>().WithMany().HasForeignKey(v => v.OfficerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(v => v.Name).HasMaxLength(60).IsRequired();
        builder.Property(v => v.Query).HasMaxLength(1000).IsRequired();
        builder.HasIndex(v => new { v.OfficerId, v.Name }).IsUnique();
    }
}
