using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Dispatch.Binding;

/// <summary>Decides, once at start-up, where each parameter comes from and how it is read and checked.</summary>
internal sealed class ParameterDescriptorFactory(TesseraJson json, IServiceProviderIsService? services)
{
    private readonly NullabilityInfoContext _nullability = new();

    /// <summary>Describes <paramref name="parameter"/>, or throws <see cref="MethodDefinitionException"/>.</summary>
    public ParameterDescriptor Create(ParameterInfo parameter, int position)
    {
        var type = parameter.ParameterType;
        var clrName = parameter.Name is { Length: > 0 } name ? name : $"arg{position}";
        if (type.IsByRef || parameter.IsOut)
        {
            throw new MethodDefinitionException(
                $"parameter '{clrName}' is passed by reference (ref, out or in); take it by value and return results instead.");
        }

        var source = SourceOf(parameter, type);
        if (source != ParameterSource.Wire)
        {
            // Files, sessions and accounts can be absent; a non-nullable one is then missing (or unauthorized).
            var optional = source is not (ParameterSource.FormFile or ParameterSource.Session or ParameterSource.Account)
                || AcceptsNull(parameter, type);
            return new ParameterDescriptor
            {
                Position = position,
                Source = source,
                Type = type,
                ClrName = clrName,
                WireName = MethodNaming.ToSnakeCase(clrName),
                IsOptional = optional,
                AcceptsNull = optional,
                IsCollection = false,
            };
        }

        var typeInfo = WireTypeInfo(type, clrName);
        var acceptsNull = AcceptsNull(parameter, type);
        return new ParameterDescriptor
        {
            Position = position,
            Source = ParameterSource.Wire,
            Type = type,
            ClrName = clrName,
            WireName = MethodNaming.ToSnakeCase(clrName),
            TypeInfo = typeInfo,
            AcceptsNull = acceptsNull,
            IsOptional = parameter.HasDefaultValue || acceptsNull,
            DefaultValue = DefaultOf(parameter, type),
            IsCollection = typeInfo.Kind == JsonTypeInfoKind.Enumerable,
            Validators = [.. parameter.GetCustomAttributes<ValidationAttribute>(inherit: true)],
            LazyDescription = new(() => parameter.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description
                ?? (parameter.Member is MethodInfo method ? XmlDocumentation.ParameterOf(method, clrName) : null)),
            ValidatesProperties = HasPropertyRules(type),
        };
    }

    private ParameterSource SourceOf(ParameterInfo parameter, Type type)
    {
        if (type == typeof(MethodContext))
        {
            return ParameterSource.MethodContext;
        }

        if (type == typeof(CancellationToken))
        {
            return ParameterSource.CancellationToken;
        }

        if (type == typeof(HttpContext))
        {
            return ParameterSource.HttpContext;
        }

        if (type == typeof(IFormFile))
        {
            return ParameterSource.FormFile;
        }

        if (type == typeof(Session))
        {
            return ParameterSource.Session;
        }

        if (type == typeof(Account))
        {
            return ParameterSource.Account;
        }

        if (parameter.IsDefined(typeof(AllParametersAttribute), inherit: true))
        {
            return type == typeof(System.Text.Json.JsonElement)
                ? ParameterSource.AllParameters
                : throw new MethodDefinitionException($"[AllParameters] parameter '{parameter.Name}' must be a JsonElement.");
        }

        var fromServices = parameter.GetCustomAttributes(inherit: true).OfType<IFromServiceMetadata>().Any();
        if (fromServices || (!IsPlainDataType(type) && services?.IsService(type) == true))
        {
            return ParameterSource.Service;
        }

        return ParameterSource.Wire;
    }

    private JsonTypeInfo WireTypeInfo(Type type, string clrName)
    {
        var problem = UnbindableReason(type);
        if (problem is null)
        {
            try
            {
                return json.ParameterInfo(type);
            }
            catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException or ArgumentException)
            {
                problem = exception.Message;
            }
        }

        throw new MethodDefinitionException(
            $"parameter '{clrName}' of type {TypeNames.Readable(type)} cannot be read from a request ({problem}). " +
            "Use a JSON-serializable type (a primitive, string, enum, Guid, DateTime, array, list, dictionary, " +
            $"record or class), or register {TypeNames.Readable(type)} as a service so it is injected." +
            (JsonSerializer.IsReflectionEnabledByDefault ? "" : NoReflectionHint));
    }

    /// <summary>What to do where types are not described by reflection (Native AOT), for start-up errors.</summary>
    internal const string NoReflectionHint =
        " This program serializes without reflection (Native AOT): list the type in a JsonSerializerContext and add it " +
        "with AddJsonTypeInfoResolver (docs/deployment.md).";

    private static string? UnbindableReason(Type type)
    {
        if (type.IsPointer || type.IsByRefLike)
        {
            return "pointers and ref structs cannot be deserialized";
        }

        if (type.ContainsGenericParameters)
        {
            return "open generic types cannot be deserialized";
        }

        if (typeof(Delegate).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type)
            || typeof(Stream).IsAssignableFrom(type) || typeof(PipeReader).IsAssignableFrom(type)
            || typeof(Task).IsAssignableFrom(type) || type == typeof(IntPtr) || type == typeof(UIntPtr)
            || typeof(IServiceProvider).IsAssignableFrom(type))
        {
            return "it is not data";
        }

        if (type.IsInterface && !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return "an interface has no shape to deserialize into";
        }

        if (type.IsAbstract && !type.IsInterface)
        {
            return "an abstract class cannot be created";
        }

        return null;
    }

    private bool AcceptsNull(ParameterInfo parameter, Type type)
    {
        if (type.IsValueType)
        {
            return Nullable.GetUnderlyingType(type) is not null;
        }

        // In code without nullable annotations the state is Unknown: treat the parameter as accepting null.
        return _nullability.Create(parameter).WriteState != NullabilityState.NotNull;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = TrimmingNotes.ServiceCodeKept)]
    private static object? DefaultOf(ParameterInfo parameter, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (parameter.HasDefaultValue && parameter.DefaultValue is not null and not DBNull and not Missing)
        {
            var value = parameter.DefaultValue;
            var target = underlying ?? type;
            return target.IsEnum && value.GetType() != target ? Enum.ToObject(target, value) : value;
        }

        return type.IsValueType && underlying is null ? Activator.CreateInstance(type) : null;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimmingNotes.ServiceCodeKept)]
    private static bool HasPropertyRules(Type type) =>
        !IsPlainDataType(type)
        && (typeof(IValidatableObject).IsAssignableFrom(type)
            || type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Any(property => property.IsDefined(typeof(ValidationAttribute), inherit: true)));

    private static bool IsPlainDataType(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal)
            || underlying == typeof(Guid) || underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset)
            || underlying == typeof(DateOnly) || underlying == typeof(TimeOnly) || underlying == typeof(TimeSpan)
            || underlying.IsArray;
    }
}
