using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class TipMessageConfiguration : IEntityTypeConfiguration<TipMessage>
{
    public void Configure(EntityTypeBuilder<TipMessage> builder)
    {
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.SealedBody).IsRequired();
        builder.HasOne<Tip>().WithMany(t => t.Messages).HasForeignKey(m => m.TipId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.TipId, m.Position }).IsUnique();
        builder.Property(m => m.OfficerId).HasMaxLength(450);
    }
}
