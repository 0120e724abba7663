using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tessera.Stores;

namespace Tessera;

/// <summary>A signed-in user's account as methods see it: id, roles and the extra fields given at creation.</summary>
public sealed class Account
{
    private Dictionary<string, JsonElement>? _fields;

    // Every authenticated call finds its account; few read its fields, so they are parsed when first asked for
    // (parsing them on every call was a tenth of an authenticated call's time under load).
    internal Account(AccountRecord record) => Record = record;

    /// <summary>The lower-cased user id.</summary>
    public string UserId => Record.UserId;

    /// <summary>The roles the account holds.</summary>
    public IReadOnlyList<string> Roles => Record.Roles;

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt => Record.CreatedAt;

    /// <summary>The extra fields given at creation or update, as sent.</summary>
    public IReadOnlyDictionary<string, JsonElement> Fields => FieldMap;

    internal AccountRecord Record { get; }

    /// <summary>Whether the account holds <paramref name="role"/>.</summary>
    public bool IsInRole(string role) => Record.Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>An extra field read as <typeparamref name="T"/>, or <c>default</c> when absent.</summary>
    [RequiresUnreferencedCode("The field is read by reflection-based serialization: under trimming or Native AOT, pass the type's JsonTypeInfo.")]
    [RequiresDynamicCode("The field is read by reflection-based serialization: under Native AOT, pass the type's JsonTypeInfo.")]
    public T? Field<T>(string name) => FieldMap.TryGetValue(name, out var value) ? value.Deserialize<T>() : default;

    /// <summary>An extra field read with <paramref name="typeInfo"/> (from a <c>JsonSerializerContext</c>), or <c>default</c> when absent.</summary>
    public T? Field<T>(string name, JsonTypeInfo<T> typeInfo) =>
        FieldMap.TryGetValue(name, out var value) ? value.Deserialize(typeInfo) : default;

    private Dictionary<string, JsonElement> FieldMap => _fields ??= ParseFields(Record.Fields);

    // Two calls of one batch may share an account and ask at once; each then parses its own equal copy, and either wins.
    private static Dictionary<string, JsonElement> ParseFields(string fields)
    {
        using var document = JsonDocument.Parse(fields);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }
}
