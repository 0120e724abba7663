using HelloService.Contracts;
using Tessera;

namespace HelloService;

/// <summary>Callable as <c>math.add</c> and <c>math.divide</c>: the trailing "Methods" is dropped from the name, so the
/// names match the shared <see cref="IMath"/> contract that clients call through <c>client.For&lt;IMath&gt;()</c>.</summary>
public sealed class MathMethods : IMath
{
    public const int DivisionByZero = 4000;

    /// <summary>Adds two integers.</summary>
    /// <param name="a">The first addend.</param>
    /// <param name="b">The second addend.</param>
    [Method(AllowGet = true)]
    public Task<int> Add(int a, int b) => Task.FromResult(a + b);

    /// <summary>Divides one number by another.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor; zero fails with error 4000.</param>
    [Method(AllowGet = true)]
    [MethodError(DivisionByZero, "division by zero")]
    public Task<double> Divide(double a, double b) =>
        b == 0 ? throw new MethodException(DivisionByZero, "division by zero") : Task.FromResult(a / b);
}
