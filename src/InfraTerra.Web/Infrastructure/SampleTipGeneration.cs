namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// The hook behind the <c>generate-tips</c> command: the generator lives with the tips
/// (<c>Features/Tips</c>), because it seals through the tip store's bindings, and the command only
/// parses its arguments and refuses to run where sample tips could be taken for real ones.
/// </summary>
public interface ISampleTipGenerator
{
    Task<SampleTipsResult> GenerateAsync(int count, int seed, TextWriter progress, CancellationToken cancellationToken);
}

public sealed record SampleTipsResult(int Tips, int Clusters, int Messages, TimeSpan Elapsed);
