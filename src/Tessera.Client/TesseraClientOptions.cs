using System.Text.Json;

namespace Tessera.Client;

/// <summary>How a <see cref="TesseraClient"/> reaches its service. Every option has a default that works with a service
/// started by <c>TesseraServer.Run</c>; only <see cref="BaseAddress"/> must be given.</summary>
public sealed class TesseraClientOptions
{
    /// <summary>The service's address including its root, e.g. <c>http://127.0.0.1:8888/</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The wire calls travel on (JSON-RPC 2.0 by default).</summary>
    public TesseraWire Wire { get; set; } = TesseraWire.JsonRpc;

    /// <summary>
    /// The body format on the Toto envelope: JSON, or MessagePack (smaller bodies; the server answers in kind). Only the
    /// envelope carries MessagePack, so this needs <see cref="Wire"/> set to <see cref="TesseraWire.Toto"/>.
    /// </summary>
    public TesseraBodyFormat BodyFormat { get; set; } = TesseraBodyFormat.Json;

    /// <summary>The request signing mode; it must match the service's <c>hmac</c> option (docs/protocol.md section 6).</summary>
    public TesseraSigning Signing { get; set; } = TesseraSigning.None;

    /// <summary>How long one call may take, retries included, unless a call names its own timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Sent as <c>X-Api-Token</c> on every request, for methods marked <c>[ApiToken]</c>.</summary>
    public string? ApiToken { get; set; }

    /// <summary>
    /// How often a call is tried again when trying again is safe: the connection could not be made (nothing was sent),
    /// or the service answered 1013 (storage unavailable). Method errors and failures after a request left are never
    /// retried. Zero turns retries off.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The wait before the first retry; it doubles for each one after (with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How parameters and results are (de)serialized: snake_case names, as the server writes them, and the source-generated
    /// metadata of the primitive types. For Native AOT, add your own <c>JsonSerializerContext</c> to its
    /// <c>TypeInfoResolverChain</c> for the records your methods take and return.
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = ClientJson.CreateOptions();
}

/// <summary>The wire a <see cref="TesseraClient"/> sends calls on.</summary>
public enum TesseraWire
{
    /// <summary>JSON-RPC 2.0 on <c>POST /api</c>.</summary>
    JsonRpc,

    /// <summary>The Toto envelope on <c>POST /</c>, with keyed batches; the only wire that carries MessagePack.</summary>
    Toto,

    /// <summary>One WebSocket on <c>/ws</c> carrying JSON-RPC calls and pushed events.</summary>
    WebSocket,
}

/// <summary>The body format of requests and answers on the Toto envelope.</summary>
public enum TesseraBodyFormat
{
    /// <summary>JSON.</summary>
    Json,

    /// <summary>MessagePack (<c>application/msgpack</c>).</summary>
    MessagePack,
}

/// <summary>The request signing modes of docs/protocol.md section 6.</summary>
public enum TesseraSigning
{
    /// <summary>Requests are not signed and answers are not checked.</summary>
    None,

    /// <summary>TotoClient-JS's HMAC-SHA1 keyed by the user id: compatibility, not security.</summary>
    Legacy,

    /// <summary>HMAC-SHA1 keyed by the per-session secret returned at login.</summary>
    Toto,

    /// <summary>HMAC-SHA256 over the whole request with a timestamp and a single-use nonce (recommended).</summary>
    Signed,
}
