using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class TipOutcomeConfiguration : IEntityTypeConfiguration<TipOutcome>
{
    public void Configure(EntityTypeBuilder<TipOutcome> builder)
    {
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.HasOne<Tip>().WithMany().HasForeignKey(o => o.TipId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<TipCluster>().WithMany().HasForeignKey(o => o.ClusterId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Notice>().WithMany().HasForeignKey(o => o.NoticeId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(o => o.RecordedById).HasMaxLength(450).IsRequired();
        builder.HasIndex(o => new { o.NoticeId, o.OccurredOn });
        builder.HasIndex(o => o.OccurredOn);
    }
}
