using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.Property(n => n.Reference).HasMaxLength(20).IsRequired();
        builder.HasIndex(n => n.Reference).IsUnique();
        builder.Property(n => n.FamilyName).HasMaxLength(100).IsRequired();
        builder.Property(n => n.Forenames).HasMaxLength(200).IsRequired();
        builder.PrimitiveCollection(n => n.Aliases);
        builder.Property(n => n.SearchName).HasMaxLength(1000).IsRequired();
        builder.HasIndex(n => n.SearchName);
        builder.Property(n => n.PlaceOfBirth).HasMaxLength(200);
        builder.Property(n => n.CountryOfBirth).HasMaxLength(2);
        builder.PrimitiveCollection(n => n.Nationalities);
        builder.PrimitiveCollection(n => n.EyeColours);
        builder.PrimitiveCollection(n => n.HairColours);
        builder.Property(n => n.DistinguishingMarks).HasMaxLength(1000);
        builder.PrimitiveCollection(n => n.LanguagesSpoken);
        builder.PrimitiveCollection(n => n.Categories);
        builder.Property(n => n.Summary).HasMaxLength(4000).IsRequired();
        builder.Property(n => n.Caution).HasMaxLength(1000);
        builder.Property(n => n.Reward).HasMaxLength(1000);
        builder.Property(n => n.TextLanguage).HasMaxLength(10).IsRequired();
        builder.HasIndex(n => new { n.IsPublished, n.Status, n.FamilyName });
        builder.HasIndex(n => n.UpdatedAtUtc);
        builder.Property(n => n.Revision).IsConcurrencyToken();
        builder.Ignore(n => n.DisplayName);
        builder.Ignore(n => n.EntityId);
        builder.HasMany(n => n.Warrants).WithOne().HasForeignKey(w => w.NoticeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(n => n.Photos).WithOne().HasForeignKey(p => p.NoticeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(n => n.Translations).WithOne().HasForeignKey(t => t.NoticeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(n => n.Operations).WithMany(o => o.Notices).UsingEntity(NoticeDerivedFields.OperationNoticesJoin);
    }
}
