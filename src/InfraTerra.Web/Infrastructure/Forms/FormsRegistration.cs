namespace InfraTerra.Web.Infrastructure.Forms;

public static class FormsRegistration
{
    /// <summary>The gate that reads public form bodies in memory, a bounded number at a time (see <see cref="PublicFormGate"/>).</summary>
    public static IServiceCollection AddPublicForms(this IServiceCollection services) =>
        services.AddSingleton<PublicFormGate>();
}
