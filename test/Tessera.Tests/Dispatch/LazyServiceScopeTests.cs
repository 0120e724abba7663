using Tessera.Dispatch;

namespace Tessera.Tests.Dispatch;

public sealed class LazyServiceScopeTests
{
    private sealed class Scoped : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    /// <summary>Counts the scopes it creates.</summary>
    private sealed class CountingFactory(IServiceScopeFactory inner) : IServiceScopeFactory
    {
        private int _created;

        public int Created => Volatile.Read(ref _created);

        public IServiceScope CreateScope()
        {
            Interlocked.Increment(ref _created);
            return inner.CreateScope();
        }
    }

    private static (ServiceProvider Root, CountingFactory Factory) Build()
    {
        var services = new ServiceCollection();
        services.AddScoped<Scoped>();
        services.AddKeyedScoped<Scoped>("keyed");
        var root = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return (root, new CountingFactory(root.GetRequiredService<IServiceScopeFactory>()));
    }

    [Fact]
    public async Task NoScopeIsCreated_UntilAServiceIsAskedFor()
    {
        var (root, factory) = Build();
        await using var _ = root;

        await using (new LazyServiceScope(factory))
        {
        }

        Assert.Equal(0, factory.Created);
    }

    [Fact]
    public async Task ScopedServices_AreOnePerScope_AndDisposedWithIt()
    {
        var (root, factory) = Build();
        await using var _ = root;

        Scoped first;
        await using (var scope = new LazyServiceScope(factory))
        {
            first = scope.GetRequiredService<Scoped>();
            Assert.Same(first, scope.GetRequiredService<Scoped>());
            Assert.NotSame(first, scope.GetRequiredKeyedService<Scoped>("keyed"));
            Assert.False(first.Disposed);
        }

        await using (var other = new LazyServiceScope(factory))
        {
            Assert.NotSame(first, other.GetRequiredService<Scoped>());
        }

        Assert.True(first.Disposed);
        Assert.Equal(2, factory.Created);
    }

    [Fact]
    public async Task ResolvingFromManyThreadsAtOnce_EndsWithOneScope()
    {
        var (root, factory) = Build();
        await using var _ = root;

        for (var round = 0; round < 200; round++)
        {
            await using var scope = new LazyServiceScope(factory);
            using var start = new Barrier(8);
            var seen = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return scope.GetRequiredService<Scoped>();
            })));

            // Losers of the race dispose the scope they made; every thread sees the winner's instance.
            Assert.Single(seen.Distinct());
        }
    }
}
