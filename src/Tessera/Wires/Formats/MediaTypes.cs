namespace Tessera.Wires.Formats;

/// <summary>
/// The media type of a Content-Type header (<c>application/json</c> in <c>application/json; charset=utf-8</c>) as a
/// slice of the header, for comparing with the types Tessera reads. Every request needs it once or twice, and parsing
/// the header into a <c>MediaTypeHeaderValue</c> allocated about 90 bytes each time.
/// </summary>
internal static class MediaTypes
{
    public static ReadOnlySpan<char> Of(string? contentType)
    {
        var header = contentType.AsSpan();
        var end = header.IndexOf(';');
        return (end < 0 ? header : header[..end]).Trim();
    }
}
