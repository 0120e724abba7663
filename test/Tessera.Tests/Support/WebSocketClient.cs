using System.Net.WebSockets;
using System.Text;

namespace Tessera.Tests.Support;

/// <summary>A JSON-RPC client over System.Net.WebSockets.ClientWebSocket, for tests.</summary>
public sealed class WebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private WebSocketClient(ClientWebSocket socket) => _socket = socket;

    public WebSocket Socket => _socket;

    public static async Task<WebSocketClient> ConnectAsync(Uri httpBase, string pathAndQuery, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        var uri = new UriBuilder(new Uri(httpBase, pathAndQuery)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        return new WebSocketClient(socket);
    }

    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

    /// <summary>The next text message as JSON, or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, CancellationToken.None).WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
