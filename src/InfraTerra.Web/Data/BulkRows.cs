using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace InfraTerra.Web.Data;

/// <summary>
/// Writes many new rows of one entity type with multi-row INSERTs on the context's open connection
/// and current transaction, without change tracking: for bulk loads that <c>SaveChanges</c> would
/// take many times longer to write. Columns, value converters and parameter types come from the EF
/// model, so each value is stored exactly as <c>SaveChanges</c> would store it, on every provider.
/// </summary>
public sealed class BulkRows<T> : IAsyncDisposable
    where T : class
{
    // Below SQL Server's 2,100 parameters per command, the lowest limit of the three engines.
    private const int MaxParameters = 2000;

    private readonly DbContext _db;
    private readonly Column[] _columns;
    private readonly string _insertInto;
    private readonly int _rowsPerStatement;
    private DbCommand? _full;

    public BulkRows(DbContext db)
    {
        _db = db;
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        _columns = [.. entityType.GetProperties().Select(p => new Column(
            sql.DelimitIdentifier(p.GetColumnName(table)!),
            p.GetGetter(),
            p.GetRelationalTypeMapping(),
            p.GetTypeMapping().Converter))];
        _insertInto = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", _columns.Select(c => c.Name))}) VALUES ";
        _rowsPerStatement = Math.Max(1, MaxParameters / _columns.Length);
    }

    /// <summary>Inserts <paramref name="rows"/> in the transaction the context has begun.</summary>
    public async Task InsertAsync(IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        var transaction = _db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Begin a transaction first: a bulk load commits in batches.");
        var done = 0;
        while (done < rows.Count)
        {
            var count = Math.Min(_rowsPerStatement, rows.Count - done);
            var command = count == _rowsPerStatement ? _full ??= Build(count) : Build(count);
            command.Transaction = transaction;
            var parameter = 0;
            for (var row = done; row < done + count; row++)
            {
                foreach (var column in _columns)
                {
                    var value = column.Getter.GetClrValueUsingContainingEntity(rows[row]);
                    if (value is not null && column.Converter is { } converter)
                    {
                        value = converter.ConvertToProvider(value);
                    }

                    command.Parameters[parameter++].Value = value ?? DBNull.Value;
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
            if (command != _full)
            {
                await command.DisposeAsync();
            }

            done += count;
        }
    }

    public ValueTask DisposeAsync() => _full?.DisposeAsync() ?? ValueTask.CompletedTask;

    private DbCommand Build(int rows)
    {
        var command = _db.Database.GetDbConnection().CreateCommand();
        var text = new StringBuilder(_insertInto);
        var index = 0;
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@p{index++}");
                text.Append(c == 0 ? name : ", " + name);

                // The mapping sets the provider's parameter type (a GUID as TEXT on SQLite, uuid on PostgreSQL).
                command.Parameters.Add(_columns[c].Mapping.CreateParameter(command, name, null, nullable: true));
            }

            text.Append(')');
        }

        command.CommandText = text.ToString();
        return command;
    }

    private sealed record Column(string Name, IClrPropertyGetter Getter, RelationalTypeMapping Mapping, ValueConverter? Converter);
}
