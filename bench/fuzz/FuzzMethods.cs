using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;

namespace Tessera.Fuzz;

/// <summary>The methods the fuzzed requests aim at: every kind of parameter the binders convert.</summary>
public sealed class FuzzMethods
{
    [Method("math.add", AllowGet = true)]
    public int Add(int a, int b) => unchecked(a + b);

    [Method("math.divide", AllowGet = true)]
    public double Divide(double a, double b) => b == 0 ? throw new MethodException(4000, "division by zero") : Finite(a / b);

    [Method("greeting.hello", AllowGet = true)]
    public string Hello([StringLength(100, MinimumLength = 1)] string name) => $"hello {name}";

    [Method("echo.values")]
    public Echo Values(int[] numbers, Dictionary<string, string>? tags, double ratio, bool flag, DateTimeOffset when, Guid? id = null, Shape? shape = null, Color color = Color.Red) =>
        new(numbers.Length, tags?.Count ?? 0, Finite(ratio), flag, when, id, shape, color);

    [Method("files.upload")]
    public long Upload(IFormFile file, string? note = null) => file.Length + (note?.Length ?? 0);

    // Parameters read from strings ("NaN", "Infinity") may be non-finite, and JSON cannot carry such a result: a
    // method that could return one refuses it itself, or its caller gets error 1000 (and the log says why).
    private static double Finite(double value) => double.IsFinite(value) ? value : throw new MethodException(4001, "not a finite number");

    [Method("secure.whoami")]
    [Authenticated]
    public string WhoAmI(Account account) => account.UserId;
}

public sealed record Echo(int Numbers, int Tags, double Ratio, bool Flag, DateTimeOffset When, Guid? Id, Shape? Shape, Color Color);

public sealed record Shape([Range(0, 1000)] int Width, [Range(0, 1000)] int Height, string[]? Labels);

public enum Color
{
    Red,
    Green,
    Blue,
}
