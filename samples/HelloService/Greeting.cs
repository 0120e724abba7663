using Tessera;

namespace HelloService;

/// <summary>Callable as <c>greeting.hello</c>.</summary>
public sealed class Greeting
{
    [Method]
    public string Hello(string name) => $"hello {name}";
}
