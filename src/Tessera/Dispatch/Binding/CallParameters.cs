using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tessera.Dispatch.Binding;

/// <summary>
/// The parameters of one call as a wire decoded them: a JSON object (by name), a JSON array (by position) or nothing.
/// </summary>
internal readonly struct CallParameters(JsonElement values, bool fromStrings = false, IFormFileCollection? files = null)
{
    /// <summary>An object, an array, or <see cref="JsonValueKind.Undefined"/> when the call carried none.</summary>
    public JsonElement Values { get; } = values;

    /// <summary>Values came from a query string or form, so every scalar is a string and repeats make arrays.</summary>
    public bool FromStrings { get; } = fromStrings;

    /// <summary>Uploaded files of a multipart request.</summary>
    public IFormFileCollection? Files { get; } = files;
}
