using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
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
        // A program published as one file or compiled ahead of time has no assembly paths: its XML files lie beside it.
        var location = LocationOf(assembly);
        var file = string.IsNullOrEmpty(location)
            ? Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml")
            : Path.ChangeExtension(location, ".xml");
        if (!File.Exists(file))
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

    /// <summary>
    /// The element as one line of plain text, with the references the compiler leaves as empty elements written out:
    /// <c>&lt;paramref name="userId"/&gt;</c> as the parameter's wire name (<c>user_id</c>), <c>&lt;see cref="T:Ns.Order"/&gt;</c>
    /// as <c>Order</c>, <c>&lt;see langword="null"/&gt;</c> as <c>null</c>. Reading only the text nodes dropped them,
    /// and "Sends &lt;paramref name="message"/&gt; to ..." reached clients as "Sends to ...".
    /// </summary>
    internal static string? Clean(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var text = new StringBuilder();
        Render(element, text);
        var line = string.Join(" ", text.ToString().Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length == 0 ? null : line;
    }

    private static void Render(XElement element, StringBuilder text)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText plain:
                    text.Append(plain.Value);
                    break;
                case XElement inner when !inner.Nodes().Any() && Reference(inner) is { } reference:
                    text.Append(reference);
                    break;
                case XElement inner:
                    // <para> and list items are separate sentences on one line; <c>, <b>, <see>text</see> keep their text.
                    var block = inner.Name.LocalName is "para" or "item" or "br";
                    text.Append(block ? " " : string.Empty);
                    Render(inner, text);
                    text.Append(block ? " " : string.Empty);
                    break;
            }
        }
    }

    /// <summary>What an empty reference element stands for in the text, or null for an element that says nothing.</summary>
    private static string? Reference(XElement element)
    {
        if ((string?)element.Attribute("name") is { } name && element.Name.LocalName is "paramref" or "typeparamref")
        {
            return element.Name.LocalName == "paramref" ? MethodNaming.ToSnakeCase(name) : name;
        }

        if ((string?)element.Attribute("langword") is { } word)
        {
            return word;
        }

        if ((string?)element.Attribute("cref") is { } cref)
        {
            return ShortName(cref);
        }

        return (string?)element.Attribute("href");
    }

    /// <summary><c>T:Ns.Order</c> -> <c>Order</c>; <c>M:Ns.Box`1.Get(System.Int32)</c> -> <c>Box.Get</c>.</summary>
    private static string ShortName(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var parameters = name.IndexOf('(', StringComparison.Ordinal);
        name = parameters < 0 ? name : name[..parameters];
        var parts = name.Split('.').Select(part => part.Split('`')[0]).ToArray();
        var isMember = cref.Length > 2 && cref[0] is 'M' or 'P' or 'F' or 'E';
        return isMember && parts.Length >= 2 ? parts[^2] + "." + parts[^1] : parts[^1];
    }

    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location is handled: the file is then looked for beside the program.")]
    private static string LocationOf(Assembly assembly) => assembly.Location;
}
