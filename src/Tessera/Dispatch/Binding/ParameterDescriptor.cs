using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace Tessera.Dispatch.Binding;

/// <summary>Everything needed to bind one parameter, computed once at start-up.</summary>
internal sealed class ParameterDescriptor
{
    public required int Position { get; init; }

    public required ParameterSource Source { get; init; }

    public required Type Type { get; init; }

    /// <summary>The C# parameter name, accepted on the wire as well.</summary>
    public required string ClrName { get; init; }

    /// <summary>The snake_case name clients are told to use.</summary>
    public required string WireName { get; init; }

    public byte[] ClrNameUtf8 => field ??= Encoding.UTF8.GetBytes(ClrName);

    public byte[] WireNameUtf8 => field ??= Encoding.UTF8.GetBytes(WireName);

    /// <summary>Reads the parameter from JSON; set for <see cref="ParameterSource.Wire"/> parameters.</summary>
    public JsonTypeInfo? TypeInfo { get; init; }

    /// <summary>True when the parameter may be left out (it has a default, or accepts null).</summary>
    public required bool IsOptional { get; init; }

    /// <summary>The value used when an optional parameter is left out.</summary>
    public object? DefaultValue { get; init; }

    public required bool AcceptsNull { get; init; }

    /// <summary>A collection parameter, so one query-string value becomes a one-element collection.</summary>
    public required bool IsCollection { get; init; }

    public ValidationAttribute[] Validators { get; init; } = [];

    /// <summary>What the parameter means, from <c>[Description]</c> or the XML doc comment, read when first asked for.</summary>
    public Lazy<string?> LazyDescription { get; init; } = new((string?)null);

    public string? Description => LazyDescription.Value;

    /// <summary>The parameter's type carries DataAnnotations rules on its own properties.</summary>
    public bool ValidatesProperties { get; init; }
}
