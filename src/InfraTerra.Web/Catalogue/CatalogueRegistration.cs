using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Catalogue;

public static class CatalogueRegistration
{
    /// <summary>Which notices the public sees (<see cref="NoticeVisibility"/>), and this node's copy of them (<see cref="PublicCatalogue"/>).</summary>
    public static IServiceCollection AddNoticeCatalogue(this IServiceCollection services) => services
        .AddSingleton(sp => new NoticeVisibility(
            sp.GetRequiredService<IConfiguration>().GetValue("Notices:ArrestedGracePeriod", NoticeVisibility.DefaultArrestedGracePeriod)))
        .AddSingleton<PublicCatalogue>()
        .AddHostedService<CatalogueRefresher>()
        .AddSingleton<NoticeFilterOptions>()
        .AddSingleton<PhotoBytes>();
}
