using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Tessera.Tests.Support;

/// <summary>
/// A local SMTP server that accepts every message and keeps it: enough of RFC 5321 (EHLO, MAIL, RCPT, DATA, QUIT)
/// for MailKit to deliver to it, on 127.0.0.1 and a free port. No TLS is offered, so MailKit's Auto mode sends plain.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<ReceivedMail> _received = Channel.CreateUnbounded<ReceivedMail>();
    private readonly Task _accepting;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The next message delivered, or a timeout failure.</summary>
    public async Task<ReceivedMail> NextAsync(TimeSpan? timeout = null) =>
        await _received.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(15));

    /// <summary>Whether a message arrives within <paramref name="wait"/> (for "nothing was sent").</summary>
    public async Task<bool> AnyWithinAsync(TimeSpan wait)
    {
        try
        {
            await _received.Reader.WaitToReadAsync().AsTask().WaitAsync(wait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 sink ESMTP");
        var to = new List<string>();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 sink");
                    break;
                case "RCPT":
                    to.Add(line[(line.IndexOf('<') + 1)..line.IndexOf('>')]);
                    await writer.WriteLineAsync("250 ok");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 go on");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is { } body && body != ".")
                    {
                        data.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append('\n');
                    }

                    await _received.Writer.WriteAsync(new ReceivedMail([.. to], data.ToString()));
                    to.Clear();
                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 ok");
                    break;
            }
        }
    }
}

/// <summary>A delivered message: its recipients and its raw content (headers and body).</summary>
public sealed record ReceivedMail(IReadOnlyList<string> To, string Raw)
{
    /// <summary>The message parsed by MimeKit, as a mail client would read it.</summary>
    public MimeKit.MimeMessage Message => MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Raw)));

    /// <summary>The token in the message: what follows <c>token=</c> in its link, or the line after "Your code:".</summary>
    public string Token()
    {
        var text = Message.TextBody ?? string.Empty;
        var link = System.Text.RegularExpressions.Regex.Match(text, "token=([A-Za-z0-9_%-]+)");
        return link.Success
            ? Uri.UnescapeDataString(link.Groups[1].Value)
            : System.Text.RegularExpressions.Regex.Match(text, @"Your code:\s+([A-Za-z0-9_-]+)").Groups[1].Value;
    }
}
