using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class NoticePhotoConfiguration : IEntityTypeConfiguration<NoticePhoto>
{
    public void Configure(EntityTypeBuilder<NoticePhoto> builder)
    {
        builder.Property(p => p.ContentType).HasMaxLength(50).IsRequired();
        builder.Property(p => p.Content).IsRequired();
        builder.Property(p => p.Thumbnail).IsRequired();
        builder.Property(p => p.AltText).HasMaxLength(300).IsRequired();
    }
}
