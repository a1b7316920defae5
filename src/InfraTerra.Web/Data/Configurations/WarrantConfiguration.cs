using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class WarrantConfiguration : IEntityTypeConfiguration<Warrant>
{
    public void Configure(EntityTypeBuilder<Warrant> builder)
    {
        builder.Property(w => w.IssuingCountry).HasMaxLength(2).IsRequired();
        builder.Property(w => w.Charge).HasMaxLength(1000).IsRequired();
        builder.Property(w => w.ChargeTranslation).HasMaxLength(1000);
        builder.HasIndex(w => w.IssuingCountry);
    }
}
