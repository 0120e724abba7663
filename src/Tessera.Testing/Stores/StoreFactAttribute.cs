using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Tessera.Testing;

/// <summary>
/// Put on a class derived from <see cref="StoreSpecification"/> when its backend needs a server: the suite is then
/// skipped with <see cref="SkipReason"/> where that is not null (a laptop without the server). Return null under CI,
/// so a missing server fails there instead of hiding.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public abstract class StoreServerAttribute : Attribute
{
    /// <summary>Why the suite cannot run here, or null when it can.</summary>
    public abstract string? SkipReason { get; }
}

/// <summary>A fact of the <see cref="StoreSpecification"/>: skipped as its class's <see cref="StoreServerAttribute"/> says.</summary>
[XunitTestCaseDiscoverer("Tessera.Testing.StoreFactDiscoverer", "Tessera.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests (used by xunit, not called directly).</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new StoreTestCase(diagnostics, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

/// <summary>A store specification test whose skip reason comes from its class (used by xunit, not called directly).</summary>
public sealed class StoreTestCase : XunitTestCase
{
    /// <summary>For xunit's deserialization only.</summary>
    [Obsolete("For deserialization only.")]
    public StoreTestCase()
    {
    }

    /// <summary>A test case of <paramref name="testMethod"/>.</summary>
    public StoreTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod)
        : base(diagnostics, display, displayOptions, testMethod)
    {
    }

    /// <inheritdoc />
    protected override string? GetSkipReason(IAttributeInfo factAttribute)
    {
        var server = (TestMethod.TestClass.Class as IReflectionTypeInfo)?.Type
            .GetCustomAttributes(typeof(StoreServerAttribute), inherit: true).OfType<StoreServerAttribute>().FirstOrDefault();
        return server?.SkipReason ?? base.GetSkipReason(factAttribute);
    }
}
