using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Catalogue;

public static class CatalogueRegistration
{
    /// <summary>Which notices the public sees (<see cref="NoticeVisibility"/>), and the choices its filters offer.</summary>
    public static IServiceCollection AddNoticeCatalogue(this IServiceCollection services) => services
        .AddSingleton(sp => new NoticeVisibility(
            sp.GetRequiredService<IConfiguration>().GetValue("Notices:ArrestedGracePeriod", NoticeVisibility.DefaultArrestedGracePeriod)))
        .AddSingleton<NoticeFilterOptions>();
}
