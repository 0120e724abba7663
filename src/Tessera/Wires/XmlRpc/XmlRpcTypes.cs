using System.Collections;

namespace Tessera.Wires.XmlRpc;

/// <summary>The XML-RPC type name of a C# type, for <c>system.methodSignature</c>.</summary>
internal static class XmlRpcTypes
{
    public static string NameOf(Type? type)
    {
        if (type is null)
        {
            return "nil";
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return Type.GetTypeCode(underlying) switch
        {
            TypeCode.Boolean => "boolean",
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 => "int",
            TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => "i8",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "double",
            TypeCode.String or TypeCode.Char => "string",
            TypeCode.DateTime => "dateTime.iso8601",
            _ when underlying.IsEnum || underlying == typeof(Guid) => "string",
            _ when underlying == typeof(DateTimeOffset) => "dateTime.iso8601",
            _ when underlying == typeof(byte[]) => "base64",
            _ when typeof(IDictionary).IsAssignableFrom(underlying) => "struct",
            _ when typeof(IEnumerable).IsAssignableFrom(underlying) => "array",
            _ => "struct",
        };
    }
}
