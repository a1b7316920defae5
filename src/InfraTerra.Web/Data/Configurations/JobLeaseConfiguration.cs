using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> builder)
    {
        builder.HasKey(j => j.Name);
        builder.Property(j => j.Name).HasMaxLength(64);
        builder.Property(j => j.Holder).HasMaxLength(100);
        builder.Property(j => j.LastResult).HasMaxLength(200);
    }
}
