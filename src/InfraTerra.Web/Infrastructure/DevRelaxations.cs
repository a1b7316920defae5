namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// The shortcuts a developer or a test run may take, each switched on by its own <c>Dev:*</c>
/// setting and never by an environment name: a server started as "Testing" or "Staging" by mistake
/// gets no shortcut it was not given explicitly. In Production any of them stops the app at start-up.
/// </summary>
public sealed record DevRelaxations(bool GenerateTipKeys, bool UnencryptedKeyRing, bool AllowNoCaptcha, bool InsecureCookies)
{
    public const string GenerateTipKeysKey = "Dev:GenerateTipKeys";
    public const string UnencryptedKeyRingKey = "Dev:UnencryptedKeyRing";
    public const string AllowNoCaptchaKey = "Dev:AllowNoCaptcha";
    public const string InsecureCookiesKey = "Dev:InsecureCookies";

    public static readonly DevRelaxations None = new(false, false, false, false);

    public static DevRelaxations From(IConfiguration configuration, IHostEnvironment environment)
    {
        var relaxations = new DevRelaxations(
            configuration.GetValue(GenerateTipKeysKey, false),
            configuration.GetValue(UnencryptedKeyRingKey, false),
            configuration.GetValue(AllowNoCaptchaKey, false),
            configuration.GetValue(InsecureCookiesKey, false));
        var set = relaxations.SetKeys().ToList();
        if (environment.IsProduction() && set.Count > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(", ", set)} {(set.Count == 1 ? "is" : "are")} set, but the environment is Production. " +
                "These settings are for development and tests only: remove them (see README, 'Configuration').");
        }

        return relaxations;
    }

    private IEnumerable<string> SetKeys()
    {
        if (GenerateTipKeys)
        {
            yield return GenerateTipKeysKey;
        }

        if (UnencryptedKeyRing)
        {
            yield return UnencryptedKeyRingKey;
        }

        if (AllowNoCaptcha)
        {
            yield return AllowNoCaptchaKey;
        }

        if (InsecureCookies)
        {
            yield return InsecureCookiesKey;
        }
    }
}
