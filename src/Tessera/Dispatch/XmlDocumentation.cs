using System.Collections.Concurrent;
using System.Reflection;
using System.Xml;
using System.Xml.Linq;

namespace Tessera.Dispatch;

/// <summary>
/// Reads the XML documentation file the compiler writes beside an assembly (GenerateDocumentationFile), so method and
/// parameter summaries reach discovery documents and <c>system.methodHelp</c>. Read once per assembly.
/// </summary>
internal static class XmlDocumentation
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, XElement>> Files = new();

    public static string? SummaryOf(MethodInfo method) => Clean(MemberOf(method)?.Element("summary"));

    public static string? ParameterOf(MethodInfo method, string name) =>
        Clean(MemberOf(method)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name));

    private static XElement? MemberOf(MethodInfo method)
    {
        if (method.DeclaringType is not { } type || type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
        {
            return null;
        }

        var members = Files.GetOrAdd(type.Assembly, Load);
        var parameters = method.GetParameters();
        var id = $"M:{XmlName(type)}.{method.Name}" +
            (parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => XmlName(p.ParameterType))) + ")");
        return members.GetValueOrDefault(id);
    }

    private static IReadOnlyDictionary<string, XElement> Load(Assembly assembly)
    {
        var file = string.IsNullOrEmpty(assembly.Location) ? null : Path.ChangeExtension(assembly.Location, ".xml");
        if (file is null || !File.Exists(file))
        {
            return new Dictionary<string, XElement>();
        }

        try
        {
            using var reader = XmlReader.Create(file, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .GroupBy(m => (string)m.Attribute("name")!)
                .ToDictionary(g => g.Key, g => g.First());
        }
        catch (XmlException)
        {
            return new Dictionary<string, XElement>();
        }
    }

    /// <summary>The documentation id form of a type: <c>System.Collections.Generic.List{System.String}</c>.</summary>
    private static string XmlName(Type type)
    {
        if (type.IsArray)
        {
            return XmlName(type.GetElementType()!) + "[]";
        }

        if (type.IsByRef)
        {
            return XmlName(type.GetElementType()!) + "@";
        }

        var name = (type.Namespace is null ? "" : type.Namespace + ".") + NestedName(type);
        if (!type.IsGenericType)
        {
            return name;
        }

        var backtick = name.IndexOf('`', StringComparison.Ordinal);
        return name[..backtick] + "{" + string.Join(",", type.GetGenericArguments().Select(XmlName)) + "}";
    }

    private static string NestedName(Type type) => type.DeclaringType is { } outer ? NestedName(outer) + "." + type.Name : type.Name;

    private static string? Clean(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var text = string.Join(" ", element.Value.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return text.Length == 0 ? null : text;
    }
}
