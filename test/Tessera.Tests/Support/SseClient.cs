using System.Text;

namespace Tessera.Tests.Support;

/// <summary>Reads a Server-Sent Events stream as a test would read it: one parsed event (or comment) at a time.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        _reader = new StreamReader(stream, Encoding.UTF8);
    }

    public int StatusCode => (int)_response.StatusCode;

    public static async Task<SseClient> OpenAsync(HttpClient http, string url, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure?.Invoke(request);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var client = new SseClient(response, await response.Content.ReadAsStreamAsync());
        if (response.IsSuccessStatusCode)
        {
            // The server opens every stream with a retry hint: once read, the subscription is in place.
            Assert.Equal("retry: 2000", await client.ReadLineAsync(TimeSpan.FromSeconds(15)));
            await client.ReadLineAsync(TimeSpan.FromSeconds(15));
        }

        return client;
    }

    public async Task<string> BodyAsync() => await _reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>The next event's fields, skipping comments; null when the stream ends.</summary>
    public async Task<(long Id, string Topic, JsonElement Data)?> NextAsync(TimeSpan? timeout = null)
    {
        long id = 0;
        string? topic = null;
        string? data = null;
        while (await ReadLineAsync(timeout ?? TimeSpan.FromSeconds(15)) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return (id, topic!, JsonDocument.Parse(data).RootElement.Clone());
                }

                continue;
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..]);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                topic = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return null;
    }

    public Task<string?> ReadLineAsync(TimeSpan timeout) => _reader.ReadLineAsync().WaitAsync(timeout);

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
