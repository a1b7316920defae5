using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class OfficerDeskConfiguration : IEntityTypeConfiguration<OfficerDesk>
{
    public void Configure(EntityTypeBuilder<OfficerDesk> builder)
    {
        builder.HasKey(d => new { d.UserId, d.Desk });
        builder.Property(d => d.UserId).HasMaxLength(450);
        builder.Property(d => d.Desk).HasMaxLength(10);
        builder.HasOne<OfficerUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
