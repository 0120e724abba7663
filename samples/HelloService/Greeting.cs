using Tessera;

namespace HelloService;

/// <summary>
/// Callable as <c>greeting.hello</c>. It only reads, so it is marked safe for GET as well
/// (<c>GET /greeting/hello?name=ada</c>); methods that change anything stay POST-only.
/// </summary>
public sealed class Greeting
{
    /// <summary>Greets someone by name.</summary>
    /// <param name="name">Who to greet.</param>
    [Method(AllowGet = true)]
    public string Hello(string name) => $"hello {name}";
}
