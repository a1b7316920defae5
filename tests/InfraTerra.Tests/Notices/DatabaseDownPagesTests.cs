using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure;
using Npgsql;

namespace InfraTerra.Tests.Notices;

/// <summary>With the PostgreSQL server stopped mid-run, the public side answers from the node's catalogue.</summary>
public sealed class DatabaseDownPagesTests
{
    [SkippableFact]
    public async Task WithPostgresStopped_PublicPagesAnswerFromTheCatalogue_ReadinessSaysDown_AndTheTipFormKeepsItsText()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        try
        {
            using var app = new AppFactory(new()
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
            });
            using (var output = new StringWriter())
            {
                Assert.Equal(0, await OperatorCommands.RunAsync(app.Services, ["migrate"], output));
                Assert.Equal(0, await OperatorCommands.RunAsync(app.Services, ["seed-demo"], output));
            }

            var client = Clients.New(app);
            var list = await Html.ParseAsync(await client.GetAsync("/notices"));
            var thumbnail = list.QuerySelector(".notice-card img")!.GetAttribute("src")!;
            var heldPhoto = await client.GetByteArrayAsync(thumbnail);
            Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
            // The tip form's antiforgery token needs the Data Protection key ring, which lives in the
            // database: a node that served a form before the stop holds it.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tips/new")).StatusCode);

            await postgres.StopAsync();

            // Nothing below was asked before the stop, so none of it comes from the output cache.
            foreach (var (path, expected) in new[]
            {
                ("/?down=1", "notice-card"),
                ("/notices?q=feisal", "/notices/2014-90001"),
                ("/fr/notices?q=ashby", "/fr/notices/2014-90002"),
                ("/notices?nationality=ZA&sort=age", "/notices/2014-90002"),
                ("/notices/2014-90005", "ELEZN"),
                ("/ar/notices/2014-90006", "2014-90006"),
                ("/operations/infra-terra", "/notices/2014-90001"),
                ("/api/v1/notices?freeText=dmitri", "2014/90009"),
                ("/feeds/notices.atom", "2014-90001"),
                ("/sitemap-notices-1.xml", "/notices/2014-90001"),
            })
            {
                var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode} with the database down");
                Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(heldPhoto, await client.GetByteArrayAsync(thumbnail));
            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

            // The form about a notice still shows; sending it cannot store anything: 503, the text kept.
            var (posted, fields) = await TipForms.SubmitAsync(client, "/tips/new?notice=2014-90002", f =>
                f["Input.Description"] = "Seen while the database was down.");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, posted.StatusCode);
            var page = await Html.ParseAsync(posted);
            Assert.Equal(fields["Input.Description"], page.QuerySelector("#Input_Description")!.TextContent.Trim());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
        }
    }
}
