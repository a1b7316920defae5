using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;

namespace InfraTerra.Web.Infrastructure.Localization;

public static class LocalizationRegistration
{
    public static IServiceCollection AddSiteLocalization(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Names and texts in Arabic, French and Spanish are written as characters, not &#x..; entities.
        return services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
    }
}
