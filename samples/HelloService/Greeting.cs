using HelloService.Contracts;
using Tessera;

namespace HelloService;

/// <summary>
/// Callable as <c>greeting.hello</c>. It only reads, so it is marked safe for GET as well
/// (<c>GET /greeting/hello?name=ada</c>); methods that change anything stay POST-only.
/// </summary>
public sealed class Greeting : IGreeting
{
    /// <summary>Greets someone by name.</summary>
    /// <param name="name">Who to greet.</param>
    /// <param name="cancellationToken">Ends the call when the caller goes away.</param>
    [Method(AllowGet = true)]
    public Task<string> Hello(string name, CancellationToken cancellationToken = default) => Task.FromResult($"hello {name}");
}
