using InfraTerra.Tests.Support;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InfraTerra.Tests.Data;

/// <summary>The server engine, for real: migrations applied by the operator command, then a tip end to end.</summary>
public sealed class PostgresRoundTripTests
{
    [SkippableFact]
    public async Task Postgres_MigrateSeedAndTipRoundTrip()
    {
        var server = RealParts.RequirePostgres();
        var database = "infraterra_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            using var factory = new AppFactory(new()
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Postgres"] = connection,
            });

            using (var output = new StringWriter())
            {
                Assert.Equal(0, await OperatorCommands.RunAsync(factory.Services, ["migrate"], output));
                Assert.Contains("Npgsql", output.ToString(), StringComparison.Ordinal);
                Assert.Equal(0, await OperatorCommands.RunAsync(factory.Services, ["seed-demo"], output));
            }

            var client = Clients.New(factory);
            var list = await client.GetStringAsync("/notices?q=feisal");
            Assert.Contains("/notices/2014-90001", list, StringComparison.Ordinal);

            var (posted, fields) = await TipForms.SubmitAsync(client, "/tips/new?notice=2014-90006", f =>
                f["Input.Description"] = "Round trip through PostgreSQL: vessel seen in port.");
            var receipt = await TipForms.ReceiptAsync(client, posted);
            var replay = await client.PostAsync("/tips/new?notice=2014-90006", new FormUrlEncodedContent(fields));
            Assert.Equal(receipt, await TipForms.ReceiptAsync(client, replay));

            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.IsType<PostgresAppDbContext>(db);
            var tip = await db.Tips.SingleAsync();
            Assert.Equal("SN", tip.Desk);
            Assert.Equal(TipStatus.New, tip.Status);
            Assert.Equal("Round trip through PostgreSQL: vessel seen in port.",
                scope.ServiceProvider.GetRequiredService<TipSealer>().Open(tip).Description);

            var officer = await Officers.SignInFirstTimeAsync(factory, "pg-officer@example.org", Roles.Officer);
            await TriageSetup.AddDeskAsync(factory, "pg-officer@example.org", "SN");
            Assert.Contains("2014-90006", await officer.GetStringAsync("/triage"), StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
