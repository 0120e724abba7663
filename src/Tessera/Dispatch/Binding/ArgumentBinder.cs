using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Buffers;
using Tessera.Errors;

namespace Tessera.Dispatch.Binding;

/// <summary>
/// Binds one call's parameters to a method's arguments using the descriptors built at start-up: names are matched
/// as UTF-8 bytes, values are read with precomputed type metadata, rules are checked, and all problems are reported
/// together.
/// </summary>
internal static class ArgumentBinder
{
    private const int StackLimit = 128;

    public static MethodError? Bind(
        MethodDescriptor method,
        in CallParameters parameters,
        MethodContext context,
        out object?[] arguments)
    {
        var all = method.Parameters;
        arguments = all.Length == 0 ? [] : new object?[all.Length];
        Span<bool> bound = all.Length <= StackLimit ? stackalloc bool[all.Length] : new bool[all.Length];
        return Bind(method, parameters, context, arguments, bound);
    }

    // Apart from the stackalloc above on purpose: the JIT cannot start a method that has both a stackalloc and loops
    // at tier 0 (on-stack replacement does not support it), so it compiled the whole binder fully optimized at the
    // first call (about 4 KB of code, 4-6 ms of the first request) and never recompiled it with a runtime profile.
    private static MethodError? Bind(
        MethodDescriptor method,
        in CallParameters parameters,
        MethodContext context,
        object?[] arguments,
        Span<bool> bound)
    {
        var all = method.Parameters;
        List<string>? invalid = null;

        var values = parameters.Values;
        if (parameters.QueryString is { } query)
        {
            BindQuery(method, query, arguments, bound, ref invalid);
        }
        else if (values.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in values.EnumerateObject())
            {
                foreach (var parameter in method.WireParameters)
                {
                    if (!bound[parameter.Position]
                        && (property.NameEquals(parameter.WireNameUtf8) || property.NameEquals(parameter.ClrNameUtf8)))
                    {
                        bound[parameter.Position] = true;
                        arguments[parameter.Position] = Read(parameter, property.Value, parameters.FromStrings, ref invalid);
                        break;
                    }
                }
            }
        }
        else if (values.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in values.EnumerateArray())
            {
                if (index >= method.WireParameters.Length)
                {
                    break;
                }

                var parameter = method.WireParameters[index++];
                bound[parameter.Position] = true;
                arguments[parameter.Position] = Read(parameter, item, parameters.FromStrings, ref invalid);
            }
        }

        List<string>? missing = null;
        var unauthorized = false;
        foreach (var parameter in all)
        {
            switch (parameter.Source)
            {
                case ParameterSource.Wire when !bound[parameter.Position]:
                    if (parameter.IsOptional)
                    {
                        arguments[parameter.Position] = parameter.DefaultValue;
                    }
                    else
                    {
                        (missing ??= []).Add(parameter.WireName);
                    }

                    break;
                case ParameterSource.MethodContext:
                    arguments[parameter.Position] = context;
                    break;
                case ParameterSource.CancellationToken:
                    arguments[parameter.Position] = context.CancellationToken;
                    break;
                case ParameterSource.HttpContext:
                    arguments[parameter.Position] = context.HttpContext;
                    break;
                case ParameterSource.Service:
                    arguments[parameter.Position] = context.Services.GetRequiredService(parameter.Type);
                    break;
                case ParameterSource.FormFile:
                    var file = parameters.Files?.GetFile(parameter.WireName) ?? parameters.Files?.GetFile(parameter.ClrName);
                    if (file is null && !parameter.AcceptsNull)
                    {
                        (missing ??= []).Add(parameter.WireName);
                    }

                    arguments[parameter.Position] = file;
                    break;
                case ParameterSource.Session:
                    arguments[parameter.Position] = context.Session;
                    unauthorized |= context.Session is null && !parameter.AcceptsNull;
                    break;
                case ParameterSource.Account:
                    arguments[parameter.Position] = context.Account;
                    unauthorized |= context.Account is null && !parameter.AcceptsNull;
                    break;
                case ParameterSource.AllParameters:
                    arguments[parameter.Position] = parameters.QueryString is { } fields ? QueryObject(fields)
                        : values.ValueKind == JsonValueKind.Undefined ? default(JsonElement) : values.Clone();
                    break;
            }
        }

        if (unauthorized)
        {
            return ErrorTable.NotAuthorized();
        }

        if (missing is not null)
        {
            return ErrorTable.MissingParameters(missing);
        }

        return invalid is null ? null : ErrorTable.InvalidParameters(invalid);
    }

    private static object? Read(ParameterDescriptor parameter, JsonElement element, bool fromStrings, ref List<string>? invalid)
    {
        // A raw JsonElement parameter takes null as it takes any other JSON value.
        if (element.ValueKind == JsonValueKind.Null && parameter.Type != typeof(JsonElement))
        {
            if (parameter.AcceptsNull || parameter.IsOptional)
            {
                return parameter.AcceptsNull ? null : parameter.DefaultValue;
            }

            (invalid ??= []).Add($"'{parameter.WireName}' must not be null");
            return null;
        }

        object? value;
        try
        {
            if (parameter.Type == typeof(string) && element.ValueKind == JsonValueKind.String)
            {
                value = element.GetString();
            }
            else if (fromStrings && parameter.IsCollection && element.ValueKind != JsonValueKind.Array)
            {
                // One query-string or form value for a collection parameter is a one-element collection.
                value = JsonSerializer.Deserialize("[" + element.GetRawText() + "]", parameter.TypeInfo!);
            }
            else
            {
                value = element.Deserialize(parameter.TypeInfo!);
            }
        }
        catch (Exception exception) when (IsConversionFailure(exception))
        {
            return Unconvertible(parameter, ref invalid);
        }

        return Checked(parameter, value, ref invalid);
    }

    /// <summary>Records that the value could not become the parameter's type; the argument is left null.</summary>
    private static object? Unconvertible(ParameterDescriptor parameter, ref List<string>? invalid)
    {
        (invalid ??= []).Add($"'{parameter.WireName}' must be {TypeNames.Expected(parameter.Type)}");
        return null;
    }

    private static bool IsConversionFailure(Exception exception) =>
        exception is JsonException or FormatException or InvalidOperationException or NotSupportedException
            or OverflowException or ArgumentException;

    /// <summary>
    /// Binds a query string's fields by name, as <see cref="Bind(MethodDescriptor, in CallParameters, MethodContext, object?[], Span{bool})"/>
    /// binds a JSON object's members: the first field naming a parameter (by its wire or C# name) binds it.
    /// </summary>
    private static void BindQuery(MethodDescriptor method, string query, object?[] arguments, Span<bool> bound, ref List<string>? invalid)
    {
        foreach (var field in new QueryStringEnumerable(query))
        {
            var name = field.DecodeName().Span;
            foreach (var parameter in method.WireParameters)
            {
                if (!bound[parameter.Position]
                    && (name.SequenceEqual(parameter.WireName) || name.SequenceEqual(parameter.ClrName)))
                {
                    bound[parameter.Position] = true;
                    arguments[parameter.Position] = ReadText(parameter, field.DecodeValue(), ref invalid);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// A query field's value: the text itself for a string; for any other type, the JSON string the field would
    /// have been in a JSON object of the query (a one-element array for a collection), read by the same converters, so
    /// numbers, lenient booleans, enums and dates convert exactly as they do from a form or a query with repeats.
    /// </summary>
    private static object? ReadText(ParameterDescriptor parameter, ReadOnlyMemory<char> text, ref List<string>? invalid)
    {
        if (parameter.Type == typeof(string))
        {
            return Checked(parameter, text.ToString(), ref invalid);
        }

        object? value;
        try
        {
            using var buffer = new PooledBufferWriter(text.Length + 16);
            using (var lease = JsonWriterCache.Rent(buffer))
            {
                var writer = lease.Writer;
                if (parameter.IsCollection)
                {
                    writer.WriteStartArray();
                }

                writer.WriteStringValue(text.Span);
                if (parameter.IsCollection)
                {
                    writer.WriteEndArray();
                }
            }

            value = JsonSerializer.Deserialize(buffer.WrittenMemory.Span, parameter.TypeInfo!);
        }
        catch (Exception exception) when (IsConversionFailure(exception))
        {
            return Unconvertible(parameter, ref invalid);
        }

        return Checked(parameter, value, ref invalid);
    }

    /// <summary>The query's fields as one JSON object of strings, for a parameter that takes all the parameters.</summary>
    private static JsonElement QueryObject(string query)
    {
        using var buffer = new PooledBufferWriter();
        var any = false;
        using (var lease = JsonWriterCache.Rent(buffer))
        {
            var writer = lease.Writer;
            writer.WriteStartObject();
            foreach (var field in new QueryStringEnumerable(query))
            {
                any = true;
                writer.WriteString(field.DecodeName().Span, field.DecodeValue().Span);
            }

            writer.WriteEndObject();
        }

        if (!any)
        {
            return default;
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>A converted value's last checks: null where the parameter takes none, then its validation rules.</summary>
    private static object? Checked(ParameterDescriptor parameter, object? value, ref List<string>? invalid)
    {
        if (value is null && !parameter.AcceptsNull)
        {
            (invalid ??= []).Add($"'{parameter.WireName}' must not be null");
            return null;
        }

        if (parameter.Validators.Length > 0 || parameter.ValidatesProperties)
        {
            Validate(parameter, value, ref invalid);
        }

        return value;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmingNotes.ServiceCodeKept)]
    private static void Validate(ParameterDescriptor parameter, object? value, ref List<string>? invalid)
    {
        var context = new ValidationContext(value ?? parameter)
        {
            MemberName = parameter.ClrName,
            DisplayName = parameter.WireName,
        };
        foreach (var validator in parameter.Validators)
        {
            var result = validator.GetValidationResult(value, context);
            if (result != ValidationResult.Success)
            {
                (invalid ??= []).Add($"'{parameter.WireName}': {result?.ErrorMessage}");
            }
        }

        if (parameter.ValidatesProperties && value is not null)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    (invalid ??= []).Add($"'{parameter.WireName}': {result.ErrorMessage}");
                }
            }
        }
    }
}
