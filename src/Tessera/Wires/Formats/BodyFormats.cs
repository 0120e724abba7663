using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Tessera.Wires.Formats;

/// <summary>The registered <see cref="IBodyFormat"/>s, by media type, and which one an answer uses.</summary>
internal sealed class BodyFormats(IEnumerable<IBodyFormat> formats)
{
    private readonly IBodyFormat[] _formats = [.. formats];

    /// <summary>The format of a request body, or null when it is not one of these.</summary>
    public IBodyFormat? ForContentType(string? contentType) => Find(MediaTypes.Of(contentType));

    /// <summary>The answer's format: one the Accept header names, else the request body's, else JSON (null).</summary>
    public IBodyFormat? ForAnswer(HttpRequest request)
    {
        if (_formats.Length == 0)
        {
            return null;
        }

        // Most clients accept anything, or say nothing, or name JSON alone: the list is parsed only when it is another.
        var accept = request.Headers.Accept;
        if (accept.Count == 1 && accept[0] == "application/json")
        {
            return null;
        }

        if (accept.Count > 0 && !(accept.Count == 1 && accept[0] == "*/*")
            && MediaTypeHeaderValue.TryParseList(accept, out var accepted))
        {
            foreach (var media in accepted.OrderByDescending(m => m.Quality ?? 1))
            {
                if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                if (Find(media.MediaType.AsSpan()) is { } format)
                {
                    return format;
                }
            }
        }

        return ForContentType(request.ContentType);
    }

    private IBodyFormat? Find(ReadOnlySpan<char> mediaType)
    {
        foreach (var format in _formats)
        {
            if (mediaType.Equals(format.MediaType, StringComparison.OrdinalIgnoreCase))
            {
                return format;
            }
        }

        return null;
    }
}

/// <summary>The format a Toto answer is translated to before it is sent; absent means JSON.</summary>
internal sealed record AnswerFormat(IBodyFormat Format);
