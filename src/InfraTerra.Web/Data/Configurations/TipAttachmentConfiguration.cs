using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class TipAttachmentConfiguration : IEntityTypeConfiguration<TipAttachment>
{
    public void Configure(EntityTypeBuilder<TipAttachment> builder)
    {
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.ContentType).HasMaxLength(50).IsRequired();
        builder.Property(a => a.SealedContent).IsRequired();
        builder.Property(a => a.SealedOriginalHash).HasMaxLength(100).IsRequired();
        builder.HasOne<Tip>().WithMany(t => t.Attachments).HasForeignKey(a => a.TipId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.SealedLocation).HasMaxLength(200);
        builder.HasIndex(a => new { a.TipId, a.Position }).IsUnique();

        // The tip's cascade already removes both; a second cascade path is refused by SQL Server.
        builder.HasOne<TipMessage>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.NoAction);
    }
}
