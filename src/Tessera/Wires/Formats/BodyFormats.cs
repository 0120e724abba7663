using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Tessera.Wires.Formats;

/// <summary>The registered <see cref="IBodyFormat"/>s, by media type, and which one an answer uses.</summary>
internal sealed class BodyFormats(IEnumerable<IBodyFormat> formats)
{
    private readonly IBodyFormat[] _formats = [.. formats];

    /// <summary>The format of a request body, or null when it is not one of these.</summary>
    public IBodyFormat? ForContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) ? Find(media.MediaType.Value) : null;

    /// <summary>The answer's format: one the Accept header names, else the request body's, else JSON (null).</summary>
    public IBodyFormat? ForAnswer(HttpRequest request)
    {
        if (_formats.Length == 0)
        {
            return null;
        }

        if (MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            foreach (var media in accepted.OrderByDescending(m => m.Quality ?? 1))
            {
                if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                if (Find(media.MediaType.Value) is { } format)
                {
                    return format;
                }
            }
        }

        return ForContentType(request.ContentType);
    }

    private IBodyFormat? Find(string? mediaType) =>
        Array.Find(_formats, f => string.Equals(f.MediaType, mediaType, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The format a Toto answer is translated to before it is sent; absent means JSON.</summary>
internal sealed record AnswerFormat(IBodyFormat Format);
