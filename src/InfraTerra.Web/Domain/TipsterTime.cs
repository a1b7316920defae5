namespace InfraTerra.Web.Domain;

/// <summary>
/// Times on the tipster's side (a tip, a tipster's message, a file) are stored to the hour:
/// exact times could be joined with a reverse proxy's access log (address and time) to name the
/// tipster. ADR 0005.
/// </summary>
public static class TipsterTime
{
    public static readonly TimeSpan Grain = TimeSpan.FromHours(1);

    public static DateTime Coarse(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % Grain.Ticks), DateTimeKind.Utc);
}
