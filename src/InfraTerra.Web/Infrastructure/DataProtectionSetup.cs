using System.Security.Cryptography.X509Certificates;
using InfraTerra.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// The Data Protection key ring (cookies, antiforgery, TempData) lives in the shared database so
/// every node can read what another wrote. It must be encrypted at rest with a certificate from
/// configuration, unless <c>Dev:UnencryptedKeyRing</c> is set (development and tests only).
/// </summary>
public static class DataProtectionSetup
{
    public static IServiceCollection AddAppDataProtection(
        this IServiceCollection services, IConfiguration configuration, DevRelaxations relaxations)
    {
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("InfraTerra")
            .PersistKeysToDbContext<AppDbContext>();

        var certificatePath = configuration["DataProtection:CertificatePath"];
        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(
                certificatePath, configuration["DataProtection:CertificatePassword"]);
            dataProtection.ProtectKeysWithCertificate(certificate);
        }
        else if (!relaxations.UnencryptedKeyRing)
        {
            throw new InvalidOperationException(
                "DataProtection:CertificatePath must name a PFX certificate (or Dev:UnencryptedKeyRing be set, in development): " +
                "it encrypts the key ring that protects sign-in cookies and forms.");
        }

        return services;
    }
}
