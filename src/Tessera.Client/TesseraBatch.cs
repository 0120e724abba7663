using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Tessera.Client;

/// <summary>
/// Calls sent together in one request: <c>var sum = batch.Add&lt;int&gt;("math.add", new { a = 1, b = 2 }); await
/// batch.SendAsync(); sum.Value</c>. Every entry has its own result or error; one failing never fails the others. On
/// JSON-RPC the entries run concurrently; on the Toto envelope they run in the order they were added.
/// </summary>
public sealed class TesseraBatch
{
    private readonly TesseraClient _client;
    private readonly List<IBatchEntry> _entries = [];
    private bool _sent;

    internal TesseraBatch(TesseraClient client) => _client = client;

    /// <summary>How many calls the batch holds.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a call; its result is read from the entry after <see cref="SendAsync"/>.</summary>
    [RequiresUnreferencedCode("Serializes the parameters' runtime type; use TesseraParameters under trimming.")]
    [RequiresDynamicCode("Serializes the parameters' runtime type; use TesseraParameters under Native AOT.")]
    public TesseraBatchEntry<T> Add<T>(string method, object? parameters = null) =>
        Add(new TesseraBatchEntry<T>(method, ParameterJson.From(parameters, _client.Options.SerializerOptions), _client.Options.SerializerOptions, notification: false));

    /// <summary>Adds a call with parameters built without reflection.</summary>
    public TesseraBatchEntry<T> Add<T>(string method, TesseraParameters parameters) =>
        Add(new TesseraBatchEntry<T>(method, parameters.ToJson(), _client.Options.SerializerOptions, notification: false));

    /// <summary>Adds a notification: it runs, and nothing is answered for it.</summary>
    [RequiresUnreferencedCode("Serializes the parameters' runtime type; use TesseraParameters under trimming.")]
    [RequiresDynamicCode("Serializes the parameters' runtime type; use TesseraParameters under Native AOT.")]
    public void Notify(string method, object? parameters = null) =>
        Add(new TesseraBatchEntry<JsonElement>(method, ParameterJson.From(parameters, _client.Options.SerializerOptions), _client.Options.SerializerOptions, notification: true));

    /// <summary>Sends every call in one round trip and fills in each entry. Only a failure to be answered at all throws.</summary>
    public async Task SendAsync(CancellationToken cancellationToken = default)
    {
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent.");
        }

        _sent = true;
        if (_entries.Count == 0)
        {
            return;
        }

        using var deadline = _client.Deadline(null, cancellationToken);
        switch (_client.Options.Wire)
        {
            case TesseraWire.Toto:
                await SendTotoAsync(deadline.Token);
                break;
            case TesseraWire.WebSocket:
                ApplyJsonRpc(await _client.Socket.BatchAsync(JsonRpcBody(), deadline.Token));
                break;
            default:
                var body = JsonRpcBody();
                var answer = await _client.WithRetriesAsync(
                    async token => await _client.Sender.PostAsync("api", body, "application/json", null, token), deadline.Token);
                using (var document = answer.Parse())
                {
                    ApplyJsonRpc(document?.RootElement ?? default);
                }

                break;
        }
    }

    private TesseraBatchEntry<T> Add<T>(TesseraBatchEntry<T> entry)
    {
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent; create a new one.");
        }

        entry.Id = _client.NextId();
        _entries.Add(entry);
        return entry;
    }

    private byte[] JsonRpcBody()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var entry in _entries)
            {
                WireFormat.WriteJsonRpcRequest(writer, entry.Method, entry.Parameters, entry.IsNotification ? null : entry.Id);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void ApplyJsonRpc(JsonElement answers)
    {
        if (answers.ValueKind == JsonValueKind.Object)
        {
            // One error for the whole batch (over the size limit, say): every entry gets it.
            var whole = Capture(() => WireFormat.ReadJsonRpcAnswer(answers));
            foreach (var entry in _entries.Where(e => !e.IsNotification))
            {
                entry.Complete(whole.Result, whole.Error);
            }

            return;
        }

        var byId = new Dictionary<long, JsonElement>();
        if (answers.ValueKind == JsonValueKind.Array)
        {
            foreach (var answer in answers.EnumerateArray())
            {
                if (answer.TryGetProperty("id"u8, out var id) && id.TryGetInt64(out var number))
                {
                    byId[number] = answer;
                }
            }
        }

        foreach (var entry in _entries.Where(e => !e.IsNotification))
        {
            if (byId.TryGetValue(entry.Id, out var answer))
            {
                var outcome = Capture(() => WireFormat.ReadJsonRpcAnswer(answer));
                entry.Complete(outcome.Result, outcome.Error);
            }
            else
            {
                entry.Complete(default, new TesseraTransportException($"The batch answer has nothing for '{entry.Method}'.", requestSent: true));
            }
        }
    }

    private async Task SendTotoAsync(CancellationToken cancellationToken)
    {
        // Keys of equal length sort in the order the calls were added, and the server runs entries in key order.
        var calls = _entries.Select((entry, index) => (Key(index), entry.Method, entry.Parameters)).ToList();
        var (body, contentType, accept) = TotoBody.Batch(calls, _client.Options.BodyFormat);
        var answer = await _client.WithRetriesAsync(
            async token => await _client.Sender.PostAsync("", body, contentType, accept, token), cancellationToken);
        using var document = answer.Parse();
        var root = document?.RootElement ?? default;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("batch"u8, out var batch))
        {
            var whole = Capture(() => WireFormat.ReadTotoAnswer(root));
            foreach (var entry in _entries)
            {
                entry.Complete(whole.Result, whole.Error);
            }

            return;
        }

        for (var index = 0; index < _entries.Count; index++)
        {
            var outcome = batch.TryGetProperty(Key(index), out var entryAnswer)
                ? Capture(() => WireFormat.ReadTotoAnswer(entryAnswer))
                : (default, new TesseraTransportException($"The batch answer has nothing for '{_entries[index].Method}'.", requestSent: true));
            _entries[index].Complete(outcome.Result, outcome.Error);
        }
    }

    private static string Key(int index) => index.ToString("D6", CultureInfo.InvariantCulture);

    private static (JsonElement Result, Exception? Error) Capture(Func<JsonElement> read)
    {
        try
        {
            return (read(), null);
        }
        catch (Exception exception) when (exception is TesseraCallException or TesseraTransportException)
        {
            return (default, exception);
        }
    }
}

internal interface IBatchEntry
{
    string Method { get; }

    ReadOnlyMemory<byte> Parameters { get; }

    bool IsNotification { get; }

    long Id { get; set; }

    void Complete(JsonElement result, Exception? error);
}

/// <summary>One call of a <see cref="TesseraBatch"/>: its result or its error, once the batch was sent.</summary>
public sealed class TesseraBatchEntry<T> : IBatchEntry
{
    private readonly JsonSerializerOptions _options;
    private JsonElement _result;
    private Exception? _error;
    private bool _completed;

    internal TesseraBatchEntry(string method, ReadOnlyMemory<byte> parameters, JsonSerializerOptions options, bool notification)
    {
        Method = method;
        Parameters = parameters;
        _options = options;
        IsNotification = notification;
    }

    /// <summary>The method called.</summary>
    public string Method { get; }

    /// <summary>Whether the call succeeded (false before the batch was sent).</summary>
    public bool Succeeded => _completed && _error is null;

    /// <summary>The method's error, or null.</summary>
    public TesseraCallException? Error => _error as TesseraCallException;

    /// <summary>The result; throws the entry's error when it failed, and before the batch was sent.</summary>
    public T Value => !_completed
        ? throw new InvalidOperationException("The batch has not been sent yet.")
        : _error is not null ? throw _error : WireFormat.Convert<T>(_result, _options);

    ReadOnlyMemory<byte> IBatchEntry.Parameters => Parameters;

    bool IBatchEntry.IsNotification => IsNotification;

    long IBatchEntry.Id { get => Id; set => Id = value; }

    internal ReadOnlyMemory<byte> Parameters { get; }

    internal bool IsNotification { get; }

    internal long Id { get; set; }

    void IBatchEntry.Complete(JsonElement result, Exception? error)
    {
        _result = result;
        _error = error;
        _completed = true;
    }
}
