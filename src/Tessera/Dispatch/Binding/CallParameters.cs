using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tessera.Dispatch.Binding;

/// <summary>
/// The parameters of one call as a wire decoded them: a JSON object (by name), a JSON array (by position), the fields of
/// a URL call's query string, or nothing.
/// </summary>
internal readonly struct CallParameters(JsonElement values, bool fromStrings = false, IFormFileCollection? files = null)
{
    /// <summary>An object, an array, or <see cref="JsonValueKind.Undefined"/> when the call carried none.</summary>
    public JsonElement Values { get; } = values;

    /// <summary>Values came from a query string or form, so every scalar is a string and repeats make arrays.</summary>
    public bool FromStrings { get; } = fromStrings;

    /// <summary>Uploaded files of a multipart request.</summary>
    public IFormFileCollection? Files { get; } = files;

    /// <summary>
    /// A raw query string whose fields bind by their decoded names and values, with no JSON built in between; set only
    /// for a query in which no name repeats (see <see cref="FromQueryString"/>).
    /// </summary>
    public string? QueryString { get; private init; }

    /// <summary>
    /// The fields of <paramref name="query"/> (with or without its <c>?</c>), which the wire checked to name no field
    /// twice, ignoring case: each binds as the JSON string it would otherwise have become.
    /// </summary>
    public static CallParameters FromQueryString(string query) => new(default, fromStrings: true) { QueryString = query };
}
