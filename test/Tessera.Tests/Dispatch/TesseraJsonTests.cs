using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Dispatch;
using Tessera.Serialization;

namespace Tessera.Tests.Dispatch;

/// <summary>
/// The serializer configurations: scalars come from the build-time context, other types from reflection, and the
/// configurations' own rules (lenient booleans, numbers in strings, enum names) hold for both.
/// </summary>
public sealed class TesseraJsonTests
{
    private readonly TesseraJson _json = new(Options.Create(new TesseraOptions()));

    public enum Shade
    {
        DarkBlue,
    }

    public sealed record Person(string FirstName, int Age);

    [Theory]
    [InlineData(typeof(string))]
    [InlineData(typeof(int))]
    [InlineData(typeof(long?))]
    [InlineData(typeof(bool))]
    [InlineData(typeof(DateTimeOffset))]
    public void Scalars_ComeFromTheGeneratedContext(Type type)
    {
        Assert.IsType<ScalarJsonContext>(_json.ParameterInfo(type).OriginatingResolver);
        Assert.IsType<ScalarJsonContext>(_json.ResultInfo(type).OriginatingResolver);
    }

    [Theory]
    [InlineData(typeof(Person))]
    [InlineData(typeof(Shade))]
    [InlineData(typeof(int[]))]
    public void OtherTypes_ComeFromReflection(Type type)
    {
        Assert.IsType<DefaultJsonTypeInfoResolver>(_json.ParameterInfo(type).OriginatingResolver);
    }

    [Fact]
    public void Parameters_KeepTheirLenientRules_ForGeneratedScalars()
    {
        Assert.True(Read<bool>("\"1\""));
        Assert.Throws<JsonException>(() => Read<bool>("\"yes\""));
        Assert.False(Read<bool>("\"False\""));
        Assert.Equal(42, Read<int>("\"42\""));
        Assert.Equal(7L, Read<long?>("\"7\""));
        Assert.Null(Read<int?>("null"));
    }

    [Fact]
    public void Parameters_StillBindRecordsAndEnumsByTheirWireNames()
    {
        Assert.Equal(new Person("Ada", 36), Read<Person>("""{"first_name":"Ada","age":"36"}"""));
        Assert.Equal(Shade.DarkBlue, Read<Shade>("\"dark_blue\""));
    }

    [Fact]
    public void Results_WriteScalarsAsBefore()
    {
        Assert.Equal("\"caf\\u00E9\"", JsonSerializer.Serialize("café", (JsonTypeInfo<string>)_json.ResultInfo(typeof(string))));
        Assert.Equal("""{"first_name":"Ada","age":36}""", JsonSerializer.Serialize(new Person("Ada", 36), (JsonTypeInfo<Person>)_json.ResultInfo(typeof(Person))));
    }

    [Fact]
    public void ARegisteredContext_DescribesItsTypes_BeforeReflection_InTheServicesNaming()
    {
        var json = new TesseraJson(Options.Create(new TesseraOptions()), [new JsonTypes(PersonJson.Default)]);

        Assert.IsType<PersonJson>(json.ResultInfo(typeof(Person)).OriginatingResolver);
        Assert.IsType<PersonJson>(json.ParameterInfo(typeof(Person)).OriginatingResolver);
        Assert.Equal("""{"first_name":"Ada","age":36}""", JsonSerializer.Serialize(new Person("Ada", 36), json.ResultInfo<Person>()));
        Assert.Equal(new Person("Ada", 36), JsonSerializer.Deserialize("""{"FIRST_NAME":"Ada","age":"36"}""", (JsonTypeInfo<Person>)json.ParameterInfo(typeof(Person))));
        // A type the context does not list still comes from reflection here (a program with reflection allowed).
        Assert.IsType<DefaultJsonTypeInfoResolver>(json.ResultInfo(typeof(Shade)).OriginatingResolver);
    }

    [Fact]
    public void AddJsonTypeInfoResolver_ReachesTheServicesSerializerConfigurations()
    {
        var services = new ServiceCollection();
        services.AddTessera().AddJsonTypeInfoResolver(PersonJson.Default);
        using var provider = services.BuildServiceProvider();

        var json = provider.GetRequiredService<TesseraJson>();

        Assert.IsType<PersonJson>(json.ResultInfo(typeof(Person)).OriginatingResolver);
    }

    private T Read<T>(string json) => JsonSerializer.Deserialize(json, (JsonTypeInfo<T>)_json.ParameterInfo(typeof(T)))!;
}

/// <summary>A service's own build-time context, as <c>AddJsonTypeInfoResolver</c> takes one.</summary>
[JsonSerializable(typeof(TesseraJsonTests.Person))]
internal sealed partial class PersonJson : JsonSerializerContext;
