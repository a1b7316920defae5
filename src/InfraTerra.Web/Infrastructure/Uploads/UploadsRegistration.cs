namespace InfraTerra.Web.Infrastructure.Uploads;

public static class UploadsRegistration
{
    /// <summary>The one line every decoded file waits in, whatever form it came with.</summary>
    public static IServiceCollection AddUploadInspection(this IServiceCollection services) =>
        services.AddSingleton(sp => DecodeGate.From(sp.GetRequiredService<IConfiguration>()));
}
