using Tessera;

namespace HelloService;

/// <summary>Callable as <c>greeting.hello</c>.</summary>
public sealed class Greeting
{
    /// <summary>Greets someone by name.</summary>
    /// <param name="name">Who to greet.</param>
    [Method]
    public string Hello(string name) => $"hello {name}";
}
