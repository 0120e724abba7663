using System.Globalization;

namespace Tessera;

/// <summary>
/// Runs the method every <see cref="Period"/> (Atila's <c>maintain</c>), off the request path, in a DI scope of its own,
/// on one instance at a time when several share a store. Parameters are services, a <see cref="MethodContext"/> and a
/// <see cref="CancellationToken"/> (signalled at shutdown). The method is not callable by clients unless it is also a
/// <see cref="MethodAttribute"/> method. Configuration can change the period or switch the job off:
/// <c>--Tessera:Periodic:NAME=00:00:30</c>, or <c>=off</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class PeriodicAttribute : Attribute
{
    /// <summary>Runs the method every <paramref name="period"/>, a <see cref="TimeSpan"/> such as <c>"00:05:00"</c>.</summary>
    public PeriodicAttribute(string period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(period);
        Period = TimeSpan.Parse(period, CultureInfo.InvariantCulture);
    }

    /// <summary>How often the job runs.</summary>
    public TimeSpan Period { get; }

    /// <summary>The job's name in logs, metrics, leases and configuration; by default <c>class.method</c> in snake case, as method names are.</summary>
    public string? Name { get; set; }
}
