using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tessera.Auth.Sessions;

namespace Tessera.Tests.Auth.Sessions;

/// <summary>A session's stored state read and written back without a node tree.</summary>
public sealed class SessionStateTests
{
    private sealed record Cart(string[] Items, decimal Total);

    [Fact]
    public void StoredValuesOfEveryKind_ReadBackAndRoundTripUnchanged()
    {
        const string stored = """{"count":41,"name":"Zoë \"Z\"","cart":{"Items":["a","b"],"Total":12.5},"flags":[true,false],"gone":null}""";
        var state = SessionState.Parse(stored);

        Assert.Equal(41, state.Get<int>("count"));
        Assert.Equal("Zoë \"Z\"", state.Get<string>("name"));
        Assert.Equal(["a", "b"], state.Get<Cart>("cart")!.Items);
        Assert.Equal([true, false], state.Get<bool[]>("flags")!);
        Assert.Equal(["count", "name", "cart", "flags", "gone"], state.Keys);
        // The written object is the same JSON, value for value.
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(stored).RootElement, JsonDocument.Parse(state.ToJson()).RootElement));
    }

    [Fact]
    public void MissingOrNullValues_ReadAsTheTypesDefault()
    {
        var state = SessionState.Parse("""{"gone":null}""");

        Assert.Equal(0, state.Get<int>("gone"));
        Assert.Null(state.Get<int?>("gone"));
        Assert.Equal(0, state.Get<int>("never"));
        Assert.Null(state.Get<string>("never"));
    }

    [Fact]
    public void SetReplacesInPlace_RemoveDrops_AndTheWrittenObjectSaysSo()
    {
        var state = SessionState.Parse("""{"a":1,"b":2,"c":3}""");

        state.Set("b", new Cart(["x"], 1m));
        Assert.True(state.Remove("a"));
        Assert.False(state.Remove("a"));
        state.Set("d", "new");

        Assert.Equal("""{"b":{"Items":["x"],"Total":1},"c":3,"d":"new"}""", state.ToJson());
        Assert.Equal(["b", "c", "d"], state.Keys);
        Assert.Equal(["x"], SessionState.Parse(state.ToJson()).Get<Cart>("b")!.Items);
    }

    [Fact]
    public void KeysThatNeedEscaping_SurviveTheRoundTrip()
    {
        var state = SessionState.Parse("{}");
        state.Set("quote\" and \\ and \u0001", 1);
        state.Set("<script>", 2);

        var again = SessionState.Parse(state.ToJson());

        Assert.Equal(1, again.Get<int>("quote\" and \\ and \u0001"));
        Assert.Equal(2, again.Get<int>("<script>"));
    }

    [Fact]
    public void TheLastValueUnderARepeatedName_Wins()
    {
        var state = SessionState.Parse("""{"a":1,"a":2}""");

        Assert.Equal(2, state.Get<int>("a"));
        Assert.Equal("""{"a":2}""", state.ToJson());
    }

    [Fact]
    public void EmptyState_WritesAnEmptyObject()
    {
        Assert.Equal("{}", SessionState.Parse("{}").ToJson());
        Assert.Empty(SessionState.Parse("""{ }""").Keys);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("""{"a":""")]
    public void AStoredStateThatIsNotAnObject_IsACorruptStore(string stored)
    {
        Assert.ThrowsAny<JsonException>(() =>
        {
            var state = SessionState.Parse(stored);
            state.ToJson();
        });
    }
}

/// <summary>
/// The state with the serializer's defaults, as <c>Session</c> stores values when no context of the service describes
/// their type (its <c>StoredJson</c> falls back to reflection with the same defaults).
/// </summary>
internal static class SessionStateDefaults
{
    public static T? Get<T>(this SessionState state, string key) =>
        state.Get(key, (JsonTypeInfo<T>)JsonSerializerOptions.Default.GetTypeInfo(typeof(T)));

    public static void Set<T>(this SessionState state, string key, T value) =>
        state.Set(key, value, (JsonTypeInfo<T>)JsonSerializerOptions.Default.GetTypeInfo(typeof(T)));
}
