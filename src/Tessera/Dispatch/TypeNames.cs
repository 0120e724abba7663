namespace Tessera.Dispatch;

/// <summary>C#-looking type names for messages: <c>List&lt;int&gt;</c> rather than <c>List`1</c>.</summary>
internal static class TypeNames
{
    public static string Readable(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Readable(underlying) + "?";
        }

        if (type.IsArray)
        {
            return Readable(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return Keyword(type) ?? type.Name;
        }

        var name = type.Name;
        var backtick = name.IndexOf('`', StringComparison.Ordinal);
        var arguments = string.Join(", ", type.GetGenericArguments().Select(Readable));
        return $"{(backtick < 0 ? name : name[..backtick])}<{arguments}>";
    }

    /// <summary>What a value of the type looks like, for "must be ..." messages.</summary>
    public static string Expected(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(short)
            || underlying == typeof(byte) || underlying == typeof(uint) || underlying == typeof(ulong)
            || underlying == typeof(ushort) || underlying == typeof(sbyte))
        {
            return $"an integer ({Readable(underlying)})";
        }

        if (underlying == typeof(double) || underlying == typeof(float) || underlying == typeof(decimal))
        {
            return "a number";
        }

        if (underlying == typeof(bool))
        {
            return "a boolean";
        }

        if (underlying == typeof(string))
        {
            return "a string";
        }

        if (underlying == typeof(Guid))
        {
            return "a GUID";
        }

        if (underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset))
        {
            return "an ISO 8601 date and time";
        }

        if (underlying.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(underlying).Select(MethodNaming.ToSnakeCase));
        }

        return $"a valid {Readable(underlying)}";
    }

    private static string? Keyword(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => "bool",
        TypeCode.Byte => "byte",
        TypeCode.Char => "char",
        TypeCode.Decimal => "decimal",
        TypeCode.Double => "double",
        TypeCode.Int16 => "short",
        TypeCode.Int32 => "int",
        TypeCode.Int64 => "long",
        TypeCode.SByte => "sbyte",
        TypeCode.Single => "float",
        TypeCode.String => "string",
        TypeCode.UInt16 => "ushort",
        TypeCode.UInt32 => "uint",
        TypeCode.UInt64 => "ulong",
        _ => type == typeof(object) ? "object" : null,
    };
}
