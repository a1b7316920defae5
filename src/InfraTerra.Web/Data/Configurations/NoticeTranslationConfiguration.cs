using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class NoticeTranslationConfiguration : IEntityTypeConfiguration<NoticeTranslation>
{
    public void Configure(EntityTypeBuilder<NoticeTranslation> builder)
    {
        builder.Property(t => t.Language).HasMaxLength(10).IsRequired();
        builder.HasIndex(t => new { t.NoticeId, t.Language }).IsUnique();
        builder.Property(t => t.Summary).HasMaxLength(4000);
        builder.Property(t => t.Caution).HasMaxLength(1000);
        builder.Property(t => t.Reward).HasMaxLength(1000);
        builder.Property(t => t.DistinguishingMarks).HasMaxLength(1000);
    }
}
