using InfraTerra.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InfraTerra.Web.Infrastructure;

public static class DatabaseRegistration
{
    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var name = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(name))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException(
                $"Database:Provider '{name}' is not one of Sqlite, SqlServer, Postgres.");
    }

    public static int BusyTimeoutSeconds(IConfiguration configuration) =>
        Math.Clamp(configuration.GetValue("Database:SqliteBusyTimeoutSeconds", 10), 1, 120);

    public static string SqliteConnectionString(IConfiguration configuration, DataFolder dataFolder)
    {
        var configured = configuration.GetConnectionString("Sqlite");
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? $"Data Source={dataFolder.File("infraterra.db")}" : configured)
        {
            DefaultTimeout = BusyTimeoutSeconds(configuration),
            Pooling = true,
        };
        return builder.ToString();
    }

    /// <summary>
    /// Registers one context per provider with options resolved lazily from configuration, so
    /// the provider is chosen when the app starts, not when services are registered. Contexts are
    /// pooled: building one per request was a measurable share of a search (bench/README.md).
    /// </summary>
    public static IServiceCollection AddAppDatabase(this IServiceCollection services)
    {
        // Interceptors registered as IInterceptor (cache eviction, test counters) apply to every provider.
        services.AddSingleton<IInterceptor, NoticeDerivedFields>();
        services.AddSingleton(sp => new SqlitePragmas(BusyTimeoutSeconds(sp.GetRequiredService<IConfiguration>())));
        services.AddDbContextPool<SqliteAppDbContext>((sp, o) => Shared(sp, o
            .UseSqlite(SqliteConnectionString(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<DataFolder>()))
            .AddInterceptors(sp.GetRequiredService<SqlitePragmas>())));
        services.AddDbContextPool<SqlServerAppDbContext>((sp, o) => Shared(sp, o
            .UseSqlServer(Required(sp.GetRequiredService<IConfiguration>(), "SqlServer"), s => s.EnableRetryOnFailure())));
        services.AddDbContextPool<PostgresAppDbContext>((sp, o) => Shared(sp, o
            .UseNpgsql(Required(sp.GetRequiredService<IConfiguration>(), "Postgres"))));
        services.AddScoped<AppDbContext>(sp => ProviderFrom(sp.GetRequiredService<IConfiguration>()) switch
        {
            DatabaseProvider.SqlServer => sp.GetRequiredService<SqlServerAppDbContext>(),
            DatabaseProvider.Postgres => sp.GetRequiredService<PostgresAppDbContext>(),
            _ => sp.GetRequiredService<SqliteAppDbContext>(),
        });
        return services;
    }

    private static void Shared(IServiceProvider services, DbContextOptionsBuilder options) => options
        .AddInterceptors(services.GetServices<IInterceptor>())
        // A failed save is either handled (two submits of one form racing for its unique key) or
        // rethrown and logged once by the error page's handler: EF's own error log would be a second,
        // misleading copy of every handled race.
        .ConfigureWarnings(w => w.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug)));

    private static string Required(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Database:Provider is {name} but ConnectionStrings:{name} is not set.");
}
