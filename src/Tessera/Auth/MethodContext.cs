using Microsoft.AspNetCore.Http;
using Tessera.Auth;

namespace Tessera;

/// <summary>
/// What a method may know about the call it is serving. Declare a parameter of this type to receive it; it is never
/// read from the wire.
/// </summary>
public sealed class MethodContext
{
    internal MethodContext(
        string methodName,
        Caller caller,
        IServiceProvider services,
        Guid transactionId,
        CancellationToken cancellationToken)
    {
        MethodName = methodName;
        Caller = caller;
        Services = services;
        TransactionId = transactionId;
        CancellationToken = cancellationToken;
    }

    /// <summary>The wire name of the method being called, for example <c>greeting.hello</c>.</summary>
    public string MethodName { get; }

    /// <summary>The wire the call arrived on; one of the <see cref="Transports"/> names.</summary>
    public string Transport => Caller.Transport;

    /// <summary>
    /// The HTTP exchange carrying the call, shared by the entries of a batch and by every call of a WebSocket: read
    /// from it, never write to it (sessions and cookies are Tessera's to decide).
    /// </summary>
    public HttpContext HttpContext => Caller.Http;

    /// <summary>The services scoped to this call.</summary>
    public IServiceProvider Services { get; }

    /// <summary>A unique id for this call (each batch entry has its own), written to logs and traces.</summary>
    public Guid TransactionId { get; }

    /// <summary>Signalled when the client goes away (the request or the socket ends) or the server shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The request or socket the call came on: who is calling, resolved once for all its calls.</summary>
    internal Caller Caller { get; }

    /// <summary>
    /// The caller's session (this call's own copy), loaded before the call for methods that use sessions (<c>[Authenticated]</c>,
    /// <c>[OptionallyAuthenticated]</c>, <c>[AnonymousSession]</c>, a <see cref="Tessera.Session"/> parameter); otherwise null.
    /// </summary>
    public Session? Session { get; internal set; }

    /// <summary>The signed-in user's account, when <see cref="Session"/> belongs to a user.</summary>
    public Account? Account { get; internal set; }

    /// <summary>
    /// The caller as a <see cref="System.Security.Claims.ClaimsPrincipal"/>: the principal of the ASP.NET Core
    /// authentication scheme that authenticated the call (<c>[Authorize(AuthenticationSchemes = "...")]</c>), else one
    /// made from the signed-in <see cref="Account"/> (its id and roles); null for anonymous callers.
    /// </summary>
    public System.Security.Claims.ClaimsPrincipal? User
    {
        get => field ?? (Account is { } account ? field = Tessera.Auth.Accounts.AccountPrincipal.Of(account) : null);
        internal set;
    }
}
