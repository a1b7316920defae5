namespace InfraTerra.Web.Infrastructure.Crypto;

public static class CryptoRegistration
{
    /// <summary>The tip keys and what is made with them: sealing, receipt look-up hashes, fingerprints of originals.</summary>
    public static IServiceCollection AddTipCrypto(this IServiceCollection services, DevRelaxations relaxations) => services
        .AddSingleton(sp => TipKeys.Load(sp.GetRequiredService<IConfiguration>(), relaxations, sp.GetRequiredService<DataFolder>()))
        .AddSingleton<TipSealer>()
        .AddSingleton<ReceiptCodes>()
        .AddSingleton<OriginalFileHash>();
}
