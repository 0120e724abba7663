using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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

    private T Read<T>(string json) => JsonSerializer.Deserialize(json, (JsonTypeInfo<T>)_json.ParameterInfo(typeof(T)))!;
}
