using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace InfraTerra.Tests.Support;

public static class TestCertificate
{
    /// <summary>A throwaway self-signed PFX (no password) for Data Protection in Production-mode tests.</summary>
    public static string Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=InfraTerra test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"infraterra-dp-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return path;
    }
}
