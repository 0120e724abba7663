using Microsoft.AspNetCore.Http;

namespace Tessera.Auth.Sessions;

/// <summary>
/// The session of one HTTP request, loaded at most once and shared by the entries of a batch. Wires read it to add
/// the <c>session</c> block and the response signature.
/// </summary>
internal sealed class RequestSessionFeature
{
    public bool Loaded { get; set; }

    /// <summary>Serializes loading and creating, because the entries of a JSON-RPC batch run concurrently.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Session? Current { get; set; }

    /// <summary>
    /// Whether a <c>session_id</c> query parameter may name the session: only for streams a browser opens without
    /// custom headers (EventSource, WebSocket).
    /// </summary>
    public bool AllowsQueryId { get; set; }

    /// <summary>The request body as received, for signature checks.</summary>
    public ReadOnlyMemory<byte> RawBody { get; set; }

    /// <summary>The nonce of a verified signed-mode request, which the response signature covers.</summary>
    public string? RequestNonce { get; set; }

    public static RequestSessionFeature Of(HttpContext http)
    {
        var feature = http.Features.Get<RequestSessionFeature>();
        if (feature is null)
        {
            feature = new RequestSessionFeature();
            http.Features.Set(feature);
        }

        return feature;
    }

    public static Session? CurrentOf(HttpContext http) => http.Features.Get<RequestSessionFeature>()?.Current;
}
