using InfraTerra.Web.Data;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// The embedded SQLite default sets itself up: migrations at start-up and, on an empty
/// database, the fictional demo data. Server engines are migrated by the operator (`migrate`).
/// </summary>
public static class DatabaseStartup
{
    /// <summary>Fails at start-up, not at the first tip, when a required secret is missing.</summary>
    public static void CheckRequiredSecrets(this WebApplication app)
    {
        app.Services.GetRequiredService<TipKeys>();
        app.Services.GetRequiredService<Audit.AuditKey>();
        app.Services.GetRequiredService<Captcha.CaptchaSettings>();
        app.Services.GetRequiredService<Abuse.ClientKeys>();
    }

    public static async Task PrepareEmbeddedDatabaseAsync(this WebApplication app)
    {
        if (DatabaseRegistration.ProviderFrom(app.Configuration) != DatabaseProvider.Sqlite)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync();

        if (app.Configuration.GetValue("Database:SeedDemoOnFirstRun", true) && !await db.Notices.AnyAsync())
        {
            await DemoData.SeedAsync(db, TimeProvider.System);
            app.Logger.LogInformation("Seeded the fictional sample operation on first run");
        }
    }
}
