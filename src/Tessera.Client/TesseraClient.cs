using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace Tessera.Client;

/// <summary>
/// Calls the methods of a Tessera service by name, on JSON-RPC 2.0 (the default), the Toto envelope or one WebSocket:
/// <c>await client.CallAsync&lt;int&gt;("math.add", new { a = 40, b = 2 })</c>. A method's error is thrown as
/// <see cref="TesseraCallException"/>; a call that got no answer as <see cref="TesseraTransportException"/>. The client
/// keeps the session a sign-in started (<see cref="Accounts"/>) and sends it with every call. It is safe to share
/// between threads, and meant to live as long as the application.
/// </summary>
public sealed class TesseraClient : IDisposable, IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline _retry;
    private readonly Lazy<WebSocketChannel> _socket;
    private SessionState? _session;
    private long _nextId;

    /// <summary>A client of the service at <paramref name="baseAddress"/>, with the default options.</summary>
    public TesseraClient(Uri baseAddress)
        : this(new TesseraClientOptions { BaseAddress = baseAddress })
    {
    }

    /// <summary>A client with its own connection pool.</summary>
    public TesseraClient(TesseraClientOptions options)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AutomaticDecompression = DecompressionMethods.All })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        }, options, ownsHttp: true)
    {
    }

    /// <summary>A client on an <see cref="HttpClient"/> the caller owns (from <c>IHttpClientFactory</c>, say).</summary>
    public TesseraClient(HttpClient httpClient, TesseraClientOptions options)
        : this(httpClient, options, ownsHttp: false)
    {
    }

    private TesseraClient(HttpClient httpClient, TesseraClientOptions options, bool ownsHttp, ServiceInstances? instances = null)
    {
        Instances = instances;
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var baseAddress = options.BaseAddress ?? httpClient.BaseAddress
            ?? throw new ArgumentException("Set TesseraClientOptions.BaseAddress (or the HttpClient's) to the service's address.", nameof(options));
        if (options.BodyFormat == TesseraBodyFormat.MessagePack && options.Wire != TesseraWire.Toto)
        {
            throw new ArgumentException("MessagePack bodies travel on the Toto envelope: set Wire = TesseraWire.Toto as well.", nameof(options));
        }

        Options = options;
        _http = httpClient;
        _ownsHttp = ownsHttp;
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        Signer = new RequestSigner(options.Signing, TimeProvider.System);
        Sender = new HttpSender(httpClient, BaseAddress, this, Signer);
        _retry = BuildRetry(options);
        _socket = new Lazy<WebSocketChannel>(() => new WebSocketChannel(this));
        Accounts = new TesseraAccounts(this);
        Events = new TesseraEvents(this);
    }

    /// <summary>The options this client was made with.</summary>
    public TesseraClientOptions Options { get; }

    /// <summary>The service's address, ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Creating accounts, signing in and out.</summary>
    public TesseraAccounts Accounts { get; }

    /// <summary>Events the service publishes, over Server-Sent Events or the WebSocket.</summary>
    public TesseraEvents Events { get; }

    /// <summary>The session sent with every call (<c>x-toto-session-id</c>), or null; a sign-in sets it.</summary>
    public string? SessionId
    {
        get => _session?.Id;
        set => _session = value is null ? null : new SessionState(value, null, null, null);
    }

    /// <summary>The user the current session belongs to, when a sign-in through this client started it.</summary>
    public string? UserId => _session?.UserId;

    internal SessionState? Session
    {
        get => Volatile.Read(ref _session);
        set => Volatile.Write(ref _session, value);
    }

    internal HttpClient Http => _http;

    /// <summary>Set on a client of a named service (<see cref="ForService"/>): where its calls go.</summary>
    internal ServiceInstances? Instances { get; }

    internal HttpSender Sender { get; }

    internal RequestSigner Signer { get; }

    internal WebSocketChannel Socket => _socket.Value;

    /// <summary>Parameters for one call, serialized without reflection: <c>client.CreateParameters().Add("a", 1)</c>.</summary>
    public TesseraParameters CreateParameters() => new(Options.SerializerOptions);

    /// <summary>
    /// Calls <paramref name="method"/> and converts its result to <typeparamref name="T"/>. The parameters are an object
    /// (an anonymous one, a record), a dictionary (named), a sequence such as <c>object[]</c> (positional), a
    /// <see cref="JsonElement"/>, or <see cref="TesseraParameters"/>.
    /// </summary>
    [RequiresUnreferencedCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under trimming.")]
    [RequiresDynamicCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under Native AOT.")]
    public Task<T> CallAsync<T>(string method, object? parameters = null, CancellationToken cancellationToken = default) =>
        InvokeAsync<T>(method, ParameterJson.From(parameters, Options.SerializerOptions), null, cancellationToken);

    /// <summary>As <see cref="CallAsync{T}(string, object?, CancellationToken)"/>, failing after <paramref name="timeout"/>.</summary>
    [RequiresUnreferencedCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under trimming.")]
    [RequiresDynamicCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under Native AOT.")]
    public Task<T> CallAsync<T>(string method, object? parameters, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        InvokeAsync<T>(method, ParameterJson.From(parameters, Options.SerializerOptions), timeout, cancellationToken);

    /// <summary>Calls <paramref name="method"/> with parameters built without reflection (what generated proxies use).</summary>
    public Task<T> CallAsync<T>(string method, TesseraParameters parameters, CancellationToken cancellationToken = default) =>
        InvokeAsync<T>(method, parameters.ToJson(), null, cancellationToken);

    /// <summary>Calls <paramref name="method"/> and answers its result as JSON.</summary>
    [RequiresUnreferencedCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under trimming.")]
    [RequiresDynamicCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under Native AOT.")]
    public Task<JsonElement> CallAsync(string method, object? parameters = null, CancellationToken cancellationToken = default) =>
        InvokeAsync(method, ParameterJson.From(parameters, Options.SerializerOptions), null, cancellationToken);

    /// <summary>Calls <paramref name="method"/> for its effect only (a method returning nothing, or a result to ignore).</summary>
    public Task InvokeAsync(string method, TesseraParameters parameters, CancellationToken cancellationToken = default) =>
        InvokeAsync(method, parameters.ToJson(), null, cancellationToken);

    /// <summary>
    /// Sends <paramref name="method"/> as a notification: the service runs it and answers nothing, so its errors are
    /// not seen (on the Toto envelope, which has no notifications, the answer is read and dropped).
    /// </summary>
    [RequiresUnreferencedCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under trimming.")]
    [RequiresDynamicCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under Native AOT.")]
    public Task NotifyAsync(string method, object? parameters = null, CancellationToken cancellationToken = default) =>
        NotifyCoreAsync(method, ParameterJson.From(parameters, Options.SerializerOptions), cancellationToken);

    /// <summary>A batch: calls added to it travel in one request when it is sent.</summary>
    public TesseraBatch CreateBatch() => new(this);

    /// <summary>
    /// A typed proxy for a shared interface, generated when this project compiles (no reflection, works with trimming and
    /// Native AOT). Its methods are named as the server names them: <c>IMath.Add</c> is <c>math.add</c>.
    /// </summary>
    public T For<T>()
        where T : class => TesseraProxies.Create<T>(this);

    /// <summary>
    /// A client of the service registered as <paramref name="name"/> with this client's service (which must run with
    /// <c>--registry=on</c>, sharing its store with the others): calls go round robin over the live instances, skipping
    /// one that cannot be reached and trying it again later, and <see cref="MapAsync{T}(string, TesseraParameters, CancellationToken)"/>
    /// reaches every instance. Instances are read again every <paramref name="refresh"/> (default 5 s). It calls over
    /// JSON-RPC, with this client's options and session.
    /// </summary>
    public TesseraClient ForService(string name, TimeSpan? refresh = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = new TesseraClientOptions
        {
            BaseAddress = BaseAddress,
            Wire = TesseraWire.JsonRpc,
            Signing = Options.Signing,
            Timeout = Options.Timeout,
            ApiToken = Options.ApiToken,
            MaxRetries = Math.Max(Options.MaxRetries, 1),
            RetryDelay = Options.RetryDelay,
            SerializerOptions = Options.SerializerOptions,
        };
        var instances = new ServiceInstances(this, name, refresh ?? TimeSpan.FromSeconds(5), TimeProvider.System);
        return new TesseraClient(_http, options, ownsHttp: false, instances) { Session = Session };
    }

    /// <summary>
    /// A mapped call: <paramref name="method"/> on every live instance of this client's service (see
    /// <see cref="ForService"/>; a plain client has one), each answer or error gathered by instance.
    /// </summary>
    public async Task<IReadOnlyList<TesseraMappedResult<T>>> MapAsync<T>(string method, TesseraParameters parameters, CancellationToken cancellationToken = default)
    {
        var targets = Instances is { } instances ? await instances.AllAsync(cancellationToken) : [BaseAddress];
        var body = parameters.ToJson();
        var calls = targets.Select(async target =>
        {
            try
            {
                using var deadline = Deadline(null, cancellationToken);
                var answer = await Sender.PostAsync("api", WireFormat.JsonRpcRequest(method, body, NextId()), "application/json", null, deadline.Token, target);
                using var document = answer.Parse();
                var result = WireFormat.ReadJsonRpcAnswer(document?.RootElement ?? default);
                return new TesseraMappedResult<T>(target, WireFormat.Convert<T>(result, Options.SerializerOptions), null);
            }
            catch (Exception exception) when (exception is TesseraCallException or TesseraTransportException)
            {
                return new TesseraMappedResult<T>(target, default, exception);
            }
        });
        return await Task.WhenAll(calls);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_socket.IsValueCreated)
        {
            _socket.Value.Dispose();
        }

        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_socket.IsValueCreated)
        {
            await _socket.Value.CloseAsync();
        }

        Dispose();
    }

    internal long NextId() => Interlocked.Increment(ref _nextId);

    internal Task<JsonElement> InvokeAsync(string method, ReadOnlyMemory<byte> parameters, TimeSpan? timeout, CancellationToken cancellationToken) =>
        InvokeAsync<JsonElement>(method, parameters, timeout, cancellationToken);

    /// <summary>One call with retries where safe and a deadline; the result is converted while its answer is parsed.</summary>
    internal async Task<T> InvokeAsync<T>(string method, ReadOnlyMemory<byte> parameters, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        using var deadline = Deadline(timeout, cancellationToken);
        try
        {
            // A static callback with its state: no closure per call.
            return await _retry.ExecuteAsync(
                static (state, token) => state.Client.SendOnceAsync<T>(state.Method, state.Parameters, token),
                (Client: this, Method: method, Parameters: parameters),
                deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TesseraTransportException($"'{method}' got no answer within {timeout ?? Options.Timeout}.", requestSent: true, innerException: new TimeoutException());
        }
    }

    internal CancellationTokenSource Deadline(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : new CancellationTokenSource();
        var limit = timeout ?? Options.Timeout;
        if (limit != System.Threading.Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(limit);
        }

        return deadline;
    }

    /// <summary>Runs <paramref name="send"/> with retries where they are safe (nothing was sent; storage unavailable).</summary>
    internal ValueTask<TResult> WithRetriesAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> send, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(send, cancellationToken);

    private async ValueTask<T> SendOnceAsync<T>(string method, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken)
    {
        var options = Options.SerializerOptions;
        switch (Options.Wire)
        {
            case TesseraWire.WebSocket:
                return WireFormat.Convert<T>(WireFormat.ReadJsonRpcAnswer(await Socket.CallAsync(method, parameters, cancellationToken), clone: false), options);
            case TesseraWire.Toto:
                var (body, contentType, accept) = TotoBody.Single(method, parameters, Options.BodyFormat);
                var toto = await Sender.PostAsync("", body, contentType, accept, cancellationToken);
                using (var document = toto.Parse())
                {
                    return WireFormat.Convert<T>(document is null ? default : WireFormat.ReadTotoAnswer(document.RootElement, clone: false), options);
                }

            default:
                var answer = await Sender.PostAsync("api", WireFormat.JsonRpcRequest(method, parameters, NextId()), "application/json", null, cancellationToken);
                using (var document = answer.Parse())
                {
                    return document is null
                        ? throw new TesseraTransportException("The service answered a call with an empty body.", requestSent: true, answer.Status)
                        : WireFormat.Convert<T>(WireFormat.ReadJsonRpcAnswer(document.RootElement, clone: false), options);
                }
        }
    }

    private async Task NotifyCoreAsync(string method, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(null, cancellationToken);
        switch (Options.Wire)
        {
            case TesseraWire.WebSocket:
                await Socket.NotifyAsync(method, parameters, deadline.Token);
                break;
            case TesseraWire.Toto:
                var (body, contentType, accept) = TotoBody.Single(method, parameters, Options.BodyFormat);
                await WithRetriesAsync(async token => await Sender.PostAsync("", body, contentType, accept, token), deadline.Token);
                break;
            default:
                var request = WireFormat.JsonRpcRequest(method, parameters, id: null);
                await WithRetriesAsync(async token => await Sender.PostAsync("api", request, "application/json", null, token), deadline.Token);
                break;
        }
    }

    private static ResiliencePipeline BuildRetry(TesseraClientOptions options)
    {
        if (options.MaxRetries <= 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<TesseraTransportException>(exception => !exception.RequestSent)
                    .Handle<TesseraCallException>(exception => exception.Code == StoreUnavailable),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    private const int StoreUnavailable = 1013;
}
