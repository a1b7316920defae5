namespace InfraTerra.Web.Infrastructure.Audit;

public static class AuditRegistration
{
    public static IServiceCollection AddAuditLog(this IServiceCollection services, DevRelaxations relaxations) => services
        .AddSingleton(sp => AuditKey.Load(sp.GetRequiredService<IConfiguration>(), relaxations, sp.GetRequiredService<DataFolder>()))
        .AddScoped<AuditLog>()
        .AddScoped<AuditVerifier>()
        .AddSingleton<AuditVerificationStatus>();
}
