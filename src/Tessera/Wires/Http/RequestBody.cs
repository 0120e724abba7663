using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tessera.Wires.Http;

/// <summary>
/// A request body read whole into a pooled array, never past a size limit, so an oversized or endless body costs at
/// most the limit in memory.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _rented;

    private RequestBody(byte[]? rented, int length, bool tooLarge)
    {
        _rented = rented;
        Length = length;
        TooLarge = tooLarge;
    }

    public bool TooLarge { get; }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _rented is null ? ReadOnlyMemory<byte>.Empty : _rented.AsMemory(0, Length);

    /// <summary>
    /// Raises the server's own body limit (Kestrel's, 30 MB unless configured) to Tessera's where it is lower, so the
    /// server does not cut off a body Tessera accepts. It is never lowered: <see cref="ReadAsync"/> enforces Tessera's
    /// limit itself, and after the 413 the server reads and drops the rest of the body (for up to 5 seconds, up to its
    /// own limit) before it reuses or closes the connection. With the server's limit lowered to Tessera's, it closed
    /// the connection at once instead, while an HTTP/1.1 client was still sending: HttpClient then reported "Error while
    /// copying content to a stream" instead of the 413 and its message (every time for a 20 MB body against the
    /// default 1 MiB limit).
    /// </summary>
    public static void RaiseServerLimit(HttpContext http, long limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false, MaxRequestBodySize: { } serverLimit } feature
            && serverLimit < limit)
        {
            feature.MaxRequestBodySize = limit;
        }
    }

    public static async ValueTask<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return new RequestBody(null, 0, tooLarge: true);
        }

        PipeReader reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                return new RequestBody(null, 0, tooLarge: true);
            }

            if (read.IsCompleted)
            {
                var length = (int)buffer.Length;
                byte[]? rented = null;
                if (length > 0)
                {
                    rented = ArrayPool<byte>.Shared.Rent(length);
                    buffer.CopyTo(rented);
                }

                reader.AdvanceTo(buffer.End);
                return new RequestBody(rented, length, tooLarge: false);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
