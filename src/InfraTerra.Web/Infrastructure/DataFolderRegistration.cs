namespace InfraTerra.Web.Infrastructure;

public static class DataFolderRegistration
{
    public static IServiceCollection AddDataFolder(this IServiceCollection services) =>
        services.AddSingleton(sp => DataFolder.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
}
