using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class TipClusterConfiguration : IEntityTypeConfiguration<TipCluster>
{
    public void Configure(EntityTypeBuilder<TipCluster> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasOne<Notice>().WithMany().HasForeignKey(c => c.NoticeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.CreatedById).HasMaxLength(450).IsRequired();
    }
}
