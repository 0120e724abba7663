using Tessera;

namespace HelloService;

/// <summary>Callable as <c>math.add</c> and <c>math.divide</c>: the trailing "Methods" is dropped from the name.</summary>
public sealed class MathMethods
{
    public const int DivisionByZero = 4000;

    [Method]
    public int Add(int a, int b) => a + b;

    [Method]
    public double Divide(double a, double b) =>
        b == 0 ? throw new MethodException(DivisionByZero, "division by zero") : a / b;
}
