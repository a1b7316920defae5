using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Support;

public static class AuditSetup
{
    /// <summary>Appends entries one after the other, each from its own scope as separate requests would.</summary>
    public static async Task AppendAsync(AppFactory factory, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(new AuditEntry(
                new AuditActor("officer-" + (i % 3), $"officer{i % 3}@example.org"),
                i % 2 == 0 ? AuditActions.TipViewed : AuditActions.NoteAdded,
                Guid.NewGuid(),
                Detail: "entry " + i));
        }
    }
}
