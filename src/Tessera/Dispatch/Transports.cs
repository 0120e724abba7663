namespace Tessera;

/// <summary>The names of the wires a call can arrive on, as <see cref="MethodContext.Transport"/> reports them.</summary>
public static class Transports
{
    /// <summary>The Toto JSON envelope, URL-style calls and keyed batches.</summary>
    public const string Toto = "toto";
}
