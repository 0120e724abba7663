using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Tessera.Dispatch;

namespace Tessera.Hosting.Configuration;

/// <summary>One option as users name it (<c>--max_batch_size</c>) and as configuration stores it.</summary>
internal sealed record OptionDescriptor(string Name, string ConfigurationKey, Type Type, string DefaultText, string Description);

/// <summary>An options class and its configuration section; what the catalog reads of the class is kept when trimmed.</summary>
internal sealed class OptionsClass([DynamicallyAccessedMembers(OptionsClass.Read)] Type type, string section)
{
    public const DynamicallyAccessedMemberTypes Read =
        DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;

    [DynamicallyAccessedMembers(Read)]
    public Type Type { get; } = type;

    public string Section { get; } = section;
}

/// <summary>
/// Every option of every options class, read once from the classes themselves, so the command line, tessera.json,
/// environment variables and <c>--help</c> cannot drift from the code.
/// </summary>
internal sealed class OptionCatalog
{
    private readonly Dictionary<string, OptionDescriptor> _byNormalizedName = new(StringComparer.Ordinal);

    public OptionCatalog(IEnumerable<OptionsClass> classes)
    {
        var options = new List<OptionDescriptor>();
        foreach (var optionsClass in classes)
        {
            var type = optionsClass.Type;
            var section = optionsClass.Section;
            var defaults = Activator.CreateInstance(type);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.CanWrite || property.GetCustomAttribute<DescriptionAttribute>() is not { } description)
                {
                    continue;
                }

                var option = new OptionDescriptor(
                    MethodNaming.ToSnakeCase(property.Name),
                    section + ":" + property.Name,
                    property.PropertyType,
                    Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture) ?? string.Empty,
                    description.Description);
                if (!_byNormalizedName.TryAdd(Normalize(option.Name), option))
                {
                    throw new InvalidOperationException($"Two options are both named '{option.Name}'.");
                }

                options.Add(option);
            }
        }

        Options = options;
    }

    /// <summary>The options Tessera's core knows; feature packages add their classes here.</summary>
    public static OptionCatalog Default { get; } = new(
    [
        new(typeof(TesseraOptions), TesseraOptions.SectionName),
        new(typeof(StorageOptions), StorageOptions.SectionName),
        new(typeof(TesseraSessionOptions), TesseraSessionOptions.SectionName),
        new(typeof(SecurityOptions), SecurityOptions.SectionName),
        new(typeof(EventOptions), EventOptions.SectionName),
        new(typeof(MailOptions), MailOptions.SectionName),
        new(typeof(RegistryOptions), RegistryOptions.SectionName),
        new(typeof(ExplorerOptions), ExplorerOptions.SectionName),
        new(typeof(HostingOptions), HostingOptions.SectionName),
    ]);

    public IReadOnlyList<OptionDescriptor> Options { get; }

    /// <summary>Finds an option by any spelling: <c>max_batch_size</c>, <c>max-batch-size</c>, <c>MaxBatchSize</c>.</summary>
    public OptionDescriptor? Find(string name) => _byNormalizedName.GetValueOrDefault(Normalize(name));

    /// <summary>Values as users write them; enum values may be snake_case (<c>camel_case</c>).</summary>
    public static string? NormalizeValue(OptionDescriptor option, string? value)
    {
        if (value is null || !option.Type.IsEnum)
        {
            return value;
        }

        var wanted = Normalize(value);
        return Enum.GetNames(option.Type).FirstOrDefault(name => Normalize(name) == wanted) ?? value;
    }

    /// <summary>Why <paramref name="value"/> does not fit the option's type, naming the flag and what it takes; null when it fits.</summary>
    public static string? CheckValue(OptionDescriptor option, string? value)
    {
        var type = Nullable.GetUnderlyingType(option.Type) ?? option.Type;
        var text = value ?? string.Empty;
        if (type.IsEnum)
        {
            return Enum.GetNames(type).Any(name => Normalize(name) == Normalize(text))
                ? null
                : $"--{option.Name}={text}: allowed values are {string.Join(", ", Enum.GetNames(type).Select(n => MethodNaming.ToSnakeCase(n)))}.";
        }

        var fits = type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(long) ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(double) ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            : type != typeof(bool) || bool.TryParse(text, out _);
        var expected = type == typeof(bool) ? "true or false" : "a number";
        return fits ? null : $"--{option.Name}={text}: expected {expected}.";
    }

    private static string Normalize(string name) =>
        name.Replace("_", string.Empty, StringComparison.Ordinal)
            .Replace("-", string.Empty, StringComparison.Ordinal)
            .ToLowerInvariant();
}
