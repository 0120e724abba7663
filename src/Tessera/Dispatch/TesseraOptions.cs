using System.ComponentModel;

namespace Tessera;

/// <summary>
/// The core options. Set them in code (<c>AddTessera(o =&gt; ...)</c>), in <c>tessera.json</c>, in
/// <c>TESSERA__NAME</c> environment variables or on the command line (<c>--name=value</c>), each source overriding
/// the one before. <c>--help</c> lists them all; its text is generated from the descriptions here.
/// </summary>
public sealed class TesseraOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera";

    /// <summary>The service's name in discovery documents; empty means the entry assembly's name.</summary>
    [Description("Service name in discovery documents; empty means the entry assembly's name.")]
    public string ServiceName { get; set; } = string.Empty;

    /// <summary>The address <c>TesseraServer</c> listens on.</summary>
    [Description("Address to listen on. Use 0.0.0.0 to accept connections from other machines.")]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port <c>TesseraServer</c> listens on; 0 picks a free one.</summary>
    [Description("TCP port to listen on (0 picks a free port).")]
    public int Port { get; set; } = 8888;

    /// <summary>A path prefix under which every endpoint is mounted, for example <c>/svc</c>.</summary>
    [Description("Path prefix every endpoint is mounted under, e.g. /svc.")]
    public string Root { get; set; } = "/";

    /// <summary>The path of the JSON-RPC 2.0 endpoint, under <see cref="Root"/>.</summary>
    [Description("Path of the JSON-RPC 2.0 endpoint (gemstone's /api).")]
    public string JsonRpcPath { get; set; } = "/api";

    /// <summary>The path of the XML-RPC endpoint, under <see cref="Root"/>.</summary>
    [Description("Path of the XML-RPC endpoint.")]
    public string XmlRpcPath { get; set; } = "/RPC2";

    /// <summary>The largest request body accepted, in bytes; larger ones are answered with HTTP 413.</summary>
    [Description("Largest request body accepted, in bytes (larger gets HTTP 413 and error 1011).")]
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>The deepest JSON nesting accepted in a request.</summary>
    [Description("Deepest JSON nesting accepted in a request.")]
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>The most calls one batch may carry.</summary>
    [Description("Most calls one batch may carry.")]
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>How many entries of one JSON-RPC batch run at the same time.</summary>
    [Description("How many entries of one JSON-RPC batch run at the same time.")]
    public int BatchConcurrency { get; set; } = 4;

    /// <summary>
    /// Who may call from a browser page of another origin. <c>*</c> (Toto's default): any origin, without credentials.
    /// A comma-separated list of origins (<c>https://app.example,https://admin.example</c>): those origins get CORS
    /// with credentials and may call with the session cookie; add <c>*</c> to the list to keep credential-less access
    /// for the rest. Empty turns CORS headers off.
    /// </summary>
    [Description("Origins allowed to call from browsers: * (any, no credentials) and/or a comma-separated list (with credentials, cookie sessions).")]
    public string CorsOrigin { get; set; } = "*";

    /// <summary>
    /// Lets <c>GET</c> and <c>HEAD</c> call every method, as Toto did, instead of only those marked
    /// <c>[Method(AllowGet = true)]</c>. Off by default, and risky: with cookie sessions a link on another site can then
    /// change the signed-in user's data, and parameters (secrets included) land in proxies' access logs.
    /// <c>account.*</c> stays POST-only either way.
    /// </summary>
    [Description("Let GET/HEAD call every method as Toto did (risky: links can change data); account.* stays POST-only.")]
    public bool AllowGetForAllMethods { get; set; }

    /// <summary>How result properties are named on the wire.</summary>
    [Description("Naming of result properties: SnakeCase, CamelCase or AsDeclared.")]
    public ResultNaming ResultNaming { get; set; } = ResultNaming.SnakeCase;

    /// <summary>How long a graceful shutdown waits for calls in flight, in seconds.</summary>
    [Description("Seconds a graceful shutdown (SIGTERM) waits for calls in flight.")]
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}
