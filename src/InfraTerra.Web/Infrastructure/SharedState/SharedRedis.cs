using System.Reflection;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace InfraTerra.Web.Infrastructure.SharedState;

/// <summary>
/// The Redis that several nodes share (registered only when <c>ConnectionStrings:Redis</c> is set),
/// and the one rule for its keys: every key this app writes starts with <c>Redis:InstanceName</c>
/// (default <see cref="DefaultInstanceName"/>), so that several apps (or test runs) can share one
/// server. Keys hold keyed hashes of clients, never addresses.
/// </summary>
public sealed class SharedRedis
{
    public const string DefaultInstanceName = "infraterra:";

    public SharedRedis(IConnectionMultiplexer multiplexer, IConfiguration configuration)
    {
        Multiplexer = multiplexer;
        Prefix = InstanceName(configuration);
        Prefixed = PrefixingMultiplexer.Wrap(multiplexer, Prefix);
    }

    /// <summary>The prefix of every key and channel (<c>Redis:InstanceName</c>).</summary>
    public string Prefix { get; }

    /// <summary>The connection itself: keys given to it are not prefixed.</summary>
    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>
    /// The same connection whose databases prefix every key, for libraries that ask for a
    /// multiplexer and choose their own key names (the rate limiter's <c>rl:fw:{...}</c>).
    /// </summary>
    public IConnectionMultiplexer Prefixed { get; }

    /// <summary>A database whose keys are all under <see cref="Prefix"/>.</summary>
    public IDatabase Database => Multiplexer.GetDatabase().WithKeyPrefix(Prefix);

    /// <summary>A publish/subscribe channel under <see cref="Prefix"/>.</summary>
    public RedisChannel Channel(string name) => RedisChannel.Literal(Prefix + name);

    public static string InstanceName(IConfiguration configuration) =>
        configuration["Redis:InstanceName"] is { Length: > 0 } configured ? configured : DefaultInstanceName;

    /// <summary>Forwards every call to the real multiplexer; <c>GetDatabase</c> answers with a prefixing database.</summary>
#pragma warning disable CA1852 // DispatchProxy needs a type it can derive from.
    internal class PrefixingMultiplexer : DispatchProxy
#pragma warning restore CA1852
    {
        private IConnectionMultiplexer _inner = null!;
        private RedisKey _prefix;

        public static IConnectionMultiplexer Wrap(IConnectionMultiplexer inner, string prefix)
        {
            var proxy = Create<IConnectionMultiplexer, PrefixingMultiplexer>();
            var self = (PrefixingMultiplexer)(object)proxy;
            self._inner = inner;
            self._prefix = prefix;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            try
            {
                var result = targetMethod.Invoke(_inner, args);
                return targetMethod.Name == nameof(IConnectionMultiplexer.GetDatabase) && result is IDatabase database
                    ? database.WithKeyPrefix(_prefix)
                    : result;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}
