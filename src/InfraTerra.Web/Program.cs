using InfraTerra.Web;
using InfraTerra.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSecretFiles();
builder.AddInfraTerra();
var app = builder.Build();

if (OperatorCommands.IsCommand(app.Services, args))
{
    return await OperatorCommands.RunAsync(app.Services, args);
}

app.CheckRequiredSecrets();
await app.PrepareEmbeddedDatabaseAsync();
app.UseInfraTerra();
await app.RunAsync();
return 0;

public partial class Program;
