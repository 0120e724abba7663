using System.Text;

namespace Soak;

/// <summary>One open Server-Sent Events response, read line by line.</summary>
internal sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public static async Task<SseStream> OpenAsync(Service service, string path, string? session, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (session is not null)
        {
            request.Headers.Add("x-toto-session-id", session);
        }

        var response = await service.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new SoakException($"{path}: HTTP {(int)status}");
        }

        var stream = new SseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
        // The first line ("retry: ...") is written once the subscription is registered, so an event published after it arrives.
        _ = await stream._reader.ReadLineAsync(cancellationToken);
        return stream;
    }

    /// <summary>Reads until a data line contains <paramref name="text"/>; fails after 10 s or when the stream ends.</summary>
    public async Task WaitForAsync(string text, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new SoakException("the event stream ended before the event arrived");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
