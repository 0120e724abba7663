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

    /// <summary>Tells the server (Kestrel) to refuse bodies over the limit too, for readers that are not ours.</summary>
    public static void ApplyLimit(HttpContext http, long limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
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
