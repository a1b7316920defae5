using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class TipDeskShareConfiguration : IEntityTypeConfiguration<TipDeskShare>
{
    public void Configure(EntityTypeBuilder<TipDeskShare> builder)
    {
        builder.HasKey(s => new { s.TipId, s.Desk });
        builder.Property(s => s.Desk).HasMaxLength(10);
        builder.HasIndex(s => s.Desk);
    }
}
