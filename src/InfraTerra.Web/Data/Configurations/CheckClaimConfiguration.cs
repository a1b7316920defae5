using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class CheckClaimConfiguration : IEntityTypeConfiguration<CheckClaim>
{
    public void Configure(EntityTypeBuilder<CheckClaim> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.Owner).HasMaxLength(64).IsRequired();
        builder.HasIndex(c => c.ExpiresAtUtc);
    }
}
