namespace Tessera;

/// <summary>The names of the wires a call can arrive on, as <see cref="MethodContext.Transport"/> reports them.</summary>
public static class Transports
{
    /// <summary>The Toto JSON envelope, URL-style calls and keyed batches.</summary>
    public const string Toto = "toto";

    /// <summary>JSON-RPC 2.0 over HTTP at <c>/api</c>.</summary>
    public const string JsonRpc = "jsonrpc";

    /// <summary>XML-RPC at <c>/RPC2</c>.</summary>
    public const string XmlRpc = "xmlrpc";

    /// <summary>JSON-RPC 2.0 frames over a WebSocket at <c>/ws</c>.</summary>
    public const string WebSocket = "websocket";

    /// <summary>Not a wire: a periodic job's run (<see cref="PeriodicAttribute"/>), which no client made.</summary>
    public const string Periodic = "periodic";
}
