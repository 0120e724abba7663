namespace Tessera.Stores;

/// <summary>
/// Thrown by a store whose server cannot be reached or did not answer within <c>store_timeout</c>. Every wire answers
/// it as error 1013; the call is refused, never treated as authorized.
/// </summary>
public sealed class StoreUnavailableException : MethodException
{
    /// <summary>The client-facing message: it names no server, address or driver detail.</summary>
    public const string ClientMessage = "The service's storage is unavailable; retry shortly.";

    /// <summary>Wraps the driver's exception, which is logged, never sent.</summary>
    public StoreUnavailableException(string store, Exception inner)
        : base(ErrorCodes.StoreUnavailable, ClientMessage)
    {
        Store = store;
        Inner = inner;
    }

    /// <summary>Which store failed, for example <c>postgres</c> or <c>redis</c>.</summary>
    public string Store { get; }

    /// <summary>The driver's exception.</summary>
    public Exception Inner { get; }
}
