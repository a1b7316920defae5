using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Data;

/// <summary>
/// The model, shared by every provider. Each provider has a sealed subclass so that it owns
/// its own migration set (see docs/decisions/0001).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<OfficerUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<NoticePhoto> NoticePhotos => Set<NoticePhoto>();
    public DbSet<Warrant> Warrants => Set<Warrant>();
    public DbSet<Operation> Operations => Set<Operation>();
    public DbSet<Tip> Tips => Set<Tip>();
    public DbSet<TipMessage> TipMessages => Set<TipMessage>();
    public DbSet<TipAttachment> TipAttachments => Set<TipAttachment>();
    public DbSet<TipNote> TipNotes => Set<TipNote>();
    public DbSet<TipDeskShare> TipDeskShares => Set<TipDeskShare>();
    public DbSet<OfficerDesk> OfficerDesks => Set<OfficerDesk>();
    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();
    public DbSet<TipCluster> TipClusters => Set<TipCluster>();
    public DbSet<OfficerNotification> OfficerNotifications => Set<OfficerNotification>();
    public DbSet<EmailOutboxMessage> EmailOutbox => Set<EmailOutboxMessage>();
    public DbSet<SavedQueueView> SavedQueueViews => Set<SavedQueueView>();
    public DbSet<TipOutcome> TipOutcomes => Set<TipOutcome>();
    public DbSet<CheckClaim> CheckClaims => Set<CheckClaim>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
