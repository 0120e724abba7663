namespace Tessera;

/// <summary>
/// A body format the Toto endpoint speaks besides JSON, chosen by the request's Content-Type (and Accept for the
/// answer). A format only translates to and from JSON, so every call still binds, validates and fails the same way.
/// MessagePack is built in; BSON comes with the <c>Tessera.Bson</c> package (<c>AddBson()</c>).
/// </summary>
public interface IBodyFormat
{
    /// <summary>The media type, for example <c>application/msgpack</c>.</summary>
    string MediaType { get; }

    /// <summary>
    /// Translates a request body to UTF-8 JSON, nesting no deeper than <paramref name="maxDepth"/>. Throws a
    /// <see cref="FormatException"/> whose message says what is wrong when the body is malformed.
    /// </summary>
    byte[] ToJson(ReadOnlySpan<byte> body, int maxDepth);

    /// <summary>
    /// Translates a JSON answer (always an object) to this format. When <paramref name="binaryResult"/> is set, the
    /// top-level <c>result</c> is a <c>byte[]</c> (base64 in JSON) and should be written as binary.
    /// </summary>
    byte[] FromJson(ReadOnlySpan<byte> json, bool binaryResult);
}
