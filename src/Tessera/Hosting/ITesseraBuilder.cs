using Microsoft.Extensions.DependencyInjection;

namespace Tessera;

/// <summary>
/// What <c>AddTessera()</c> returns: the place where methods, filters and backends are added. Backend packages hang
/// their own extension methods off it.
/// </summary>
public interface ITesseraBuilder
{
    /// <summary>The application's service collection.</summary>
    IServiceCollection Services { get; }

    /// <summary>The methods the service offers.</summary>
    MethodCollection Methods { get; }
}

internal sealed class TesseraBuilder(IServiceCollection services) : ITesseraBuilder
{
    public IServiceCollection Services { get; } = services;

    public MethodCollection Methods { get; } = new();
}
