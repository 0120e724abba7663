using System.Text.Json;
using Tessera.Stores;

namespace Tessera;

/// <summary>A signed-in user's account as methods see it: id, roles and the extra fields given at creation.</summary>
public sealed class Account
{
    private readonly Dictionary<string, JsonElement> _fields;

    internal Account(AccountRecord record)
    {
        Record = record;
        using var document = JsonDocument.Parse(record.Fields);
        _fields = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>The lower-cased user id.</summary>
    public string UserId => Record.UserId;

    /// <summary>The roles the account holds.</summary>
    public IReadOnlyList<string> Roles => Record.Roles;

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt => Record.CreatedAt;

    /// <summary>The extra fields given at creation or update, as sent.</summary>
    public IReadOnlyDictionary<string, JsonElement> Fields => _fields;

    internal AccountRecord Record { get; }

    /// <summary>Whether the account holds <paramref name="role"/>.</summary>
    public bool IsInRole(string role) => Record.Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>An extra field read as <typeparamref name="T"/>, or <c>default</c> when absent.</summary>
    public T? Field<T>(string name) => _fields.TryGetValue(name, out var value) ? value.Deserialize<T>() : default;
}
