using Microsoft.AspNetCore.Http;

namespace Tessera;

/// <summary>
/// What a method may know about the call it is serving. Declare a parameter of this type to receive it; it is never
/// read from the wire.
/// </summary>
public sealed class MethodContext
{
    internal MethodContext(
        string methodName,
        string transport,
        HttpContext httpContext,
        IServiceProvider services,
        Guid transactionId)
    {
        MethodName = methodName;
        Transport = transport;
        HttpContext = httpContext;
        Services = services;
        TransactionId = transactionId;
    }

    /// <summary>The wire name of the method being called, for example <c>greeting.hello</c>.</summary>
    public string MethodName { get; }

    /// <summary>The wire the call arrived on; one of the <see cref="Transports"/> names.</summary>
    public string Transport { get; }

    /// <summary>The HTTP exchange carrying the call (shared by the entries of a batch).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The services scoped to this call.</summary>
    public IServiceProvider Services { get; }

    /// <summary>A unique id for this call (each batch entry has its own), written to logs and traces.</summary>
    public Guid TransactionId { get; }

    /// <summary>Signalled when the client goes away or the server shuts down.</summary>
    public CancellationToken CancellationToken => HttpContext.RequestAborted;

    /// <summary>
    /// The caller's session, loaded before the call for methods that use sessions (<c>[Authenticated]</c>,
    /// <c>[OptionallyAuthenticated]</c>, <c>[AnonymousSession]</c>, a <see cref="Tessera.Session"/> parameter); otherwise null.
    /// </summary>
    public Session? Session { get; internal set; }

    /// <summary>The signed-in user's account, when <see cref="Session"/> belongs to a user.</summary>
    public Account? Account { get; internal set; }
}
