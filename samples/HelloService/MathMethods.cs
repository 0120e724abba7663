using Tessera;

namespace HelloService;

/// <summary>Callable as <c>math.add</c> and <c>math.divide</c>: the trailing "Methods" is dropped from the name.</summary>
public sealed class MathMethods
{
    public const int DivisionByZero = 4000;

    /// <summary>Adds two integers.</summary>
    /// <param name="a">The first addend.</param>
    /// <param name="b">The second addend.</param>
    [Method(AllowGet = true)]
    public int Add(int a, int b) => a + b;

    /// <summary>Divides one number by another.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor; zero fails with error 4000.</param>
    [Method(AllowGet = true)]
    [MethodError(DivisionByZero, "division by zero")]
    public double Divide(double a, double b) =>
        b == 0 ? throw new MethodException(DivisionByZero, "division by zero") : a / b;
}
