using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Dispatch;

/// <summary>
/// A call's own DI scope, created when the call first asks for a service. Most batch entries and WebSocket messages
/// call methods that inject nothing, and creating and disposing a scope each (a scope, its dictionary and a lock on
/// dispose) was a visible part of a batch entry's cost.
/// </summary>
internal sealed class LazyServiceScope(IServiceScopeFactory factory) : IServiceProvider, IKeyedServiceProvider, IAsyncDisposable
{
    private IServiceScope? _scope;

    /// <summary>Whether the call asked for a service, so there is a scope to dispose.</summary>
    public bool Created => Volatile.Read(ref _scope) is not null;

    private IServiceProvider Services
    {
        get
        {
            if (Volatile.Read(ref _scope) is { } scope)
            {
                return scope.ServiceProvider;
            }

            // A call that resolves services from two threads at once must still end up with one scope.
            var created = factory.CreateScope();
            if (Interlocked.CompareExchange(ref _scope, created, null) is { } winner)
            {
                created.Dispose();
                return winner.ServiceProvider;
            }

            return created.ServiceProvider;
        }
    }

    public object? GetService(Type serviceType) =>
        // Asked for itself (ActivatorUtilities, some factories), the provider is the scope's, not this wrapper.
        Services.GetService(serviceType);

    public object? GetKeyedService(Type serviceType, object? serviceKey) =>
        ((IKeyedServiceProvider)Services).GetKeyedService(serviceType, serviceKey);

    public object GetRequiredKeyedService(Type serviceType, object? serviceKey) =>
        ((IKeyedServiceProvider)Services).GetRequiredKeyedService(serviceType, serviceKey);

    public ValueTask DisposeAsync() => _scope switch
    {
        null => ValueTask.CompletedTask,
        IAsyncDisposable scope => scope.DisposeAsync(),
        var scope => Dispose(scope),
    };

    private static ValueTask Dispose(IDisposable scope)
    {
        scope.Dispose();
        return ValueTask.CompletedTask;
    }
}
