using InfraTerra.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace InfraTerra.Tests.Data;

/// <summary>No SQL Server engine runs here, so its migrations are proven by parsing the T-SQL they generate.</summary>
public sealed class SqlServerMigrationScriptTests
{
    [Fact]
    public void MigrationScript_ForSqlServer_ParsesWithoutErrors()
    {
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var migrator = context.GetService<IMigrator>();

        var script = migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [Tips]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Tips_IdempotencyKeyHash]", script, StringComparison.Ordinal);
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"line {e.Line}: {e.Message}")));
    }

    [Fact]
    public void EveryProvider_HasAMigrationSetMatchingTheModel()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var sqlServer = new SqlServerDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);

        foreach (AppDbContext context in new AppDbContext[] { sqlite, sqlServer, postgres })
        {
            Assert.NotEmpty(context.Database.GetMigrations());
            Assert.False(context.Database.HasPendingModelChanges(), $"{context.GetType().Name}: the model changed without a migration");
        }
    }
}
