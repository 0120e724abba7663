namespace HelloService.Contracts;

/// <summary>Arithmetic, callable as <c>math.add</c> and <c>math.divide</c>: the server implements it, clients call it
/// through <c>client.For&lt;IMath&gt;()</c>.</summary>
public interface IMath
{
    /// <summary>Adds two integers.</summary>
    Task<int> Add(int a, int b);

    /// <summary>Divides <paramref name="a"/> by <paramref name="b"/>; zero fails with error 4000.</summary>
    Task<double> Divide(double a, double b);
}

/// <summary>Greetings, callable as <c>greeting.hello</c>.</summary>
public interface IGreeting
{
    /// <summary>Greets someone by name.</summary>
    Task<string> Hello(string name, CancellationToken cancellationToken = default);
}
