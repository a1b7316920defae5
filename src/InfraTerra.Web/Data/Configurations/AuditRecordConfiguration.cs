using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace InfraTerra.Web.Data.Configurations;

public sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        // The sequence is assigned by the appender (last + 1) so that two appends racing for one
        // number collide on the key instead of both landing.
        builder.HasKey(a => a.Sequence);
        builder.Property(a => a.Sequence).ValueGeneratedNever();
        builder.Property(a => a.ActorId).HasMaxLength(450);
        builder.Property(a => a.ActorName).HasMaxLength(256).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(64).IsRequired();
        builder.Property(a => a.Subject).HasMaxLength(450);
        builder.Property(a => a.Detail).HasMaxLength(500);
        builder.Property(a => a.Mac).HasMaxLength(32).IsRequired();
        builder.HasIndex(a => new { a.TipId, a.Sequence });
        builder.HasIndex(a => new { a.ActorId, a.Sequence });
        builder.HasIndex(a => a.AtUtc);
    }
}
