namespace InfraTerra.Web.Infrastructure;

public static class ServiceDecoration
{
    /// <summary>
    /// Replaces the last registration of <typeparamref name="TService"/> by a singleton that wraps it, so a
    /// part can add behaviour around a store another part chose (Redis or memory) without knowing which.
    /// </summary>
    public static IServiceCollection DecorateLast<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> wrap)
        where TService : class
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(TService));
        if (inner is null)
        {
            return services;
        }

        services.Remove(inner);
        return services.AddSingleton(sp => wrap(sp, (TService)(
            inner.ImplementationInstance
            ?? inner.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
    }
}
