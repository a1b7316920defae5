using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class TipNoteConfiguration : IEntityTypeConfiguration<TipNote>
{
    public void Configure(EntityTypeBuilder<TipNote> builder)
    {
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.AuthorId).HasMaxLength(450).IsRequired();
        builder.Property(n => n.SealedBody).IsRequired();
        builder.HasOne<Tip>().WithMany().HasForeignKey(n => n.TipId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(n => new { n.TipId, n.CreatedAtUtc });
    }
}
