using System.ComponentModel.DataAnnotations;
using System.Text;

namespace Tessera.Tests.Discovery;

/// <summary>What generated clients need from the description: validation rules, access rules, published events.</summary>
public sealed class DiscoveryRulesTests
{
    [Fact]
    public async Task Description_CarriesDataAnnotationsAccessRulesAndEvents()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.AddAccounts().Methods.AddType<Rules>(),
            o => o.Configuration["Tessera:Storage:Database"] = "Memory");

        var response = await host.Toto.PostAsync("api", new StringContent("""{"jsonrpc":"2.0","method":"rpc.discover","id":1}""", Encoding.UTF8, "application/json"));
        var document = response.Json!.Value.GetProperty("result");
        JsonElement Method(string name) => document.GetProperty("methods").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);
        JsonElement Param(string method, string name) => Method(method).GetProperty("params").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("schema");

        var nick = Param("rules.rename", "nick");
        Assert.Equal(2, nick.GetProperty("minLength").GetInt32());
        Assert.Equal(20, nick.GetProperty("maxLength").GetInt32());
        Assert.Equal("^[a-z]+$", nick.GetProperty("pattern").GetString());
        Assert.Equal(1, Param("rules.rename", "level").GetProperty("minimum").GetDouble());
        Assert.Equal(10, Param("rules.rename", "level").GetProperty("maximum").GetDouble());
        Assert.Equal(3, Param("rules.rename", "tags").GetProperty("maxItems").GetInt32());
        Assert.Equal("email", Param("rules.rename", "profile").GetProperty("properties").GetProperty("contact").GetProperty("format").GetString());
        Assert.Equal(40, Param("rules.rename", "profile").GetProperty("properties").GetProperty("bio").GetProperty("maxLength").GetInt32());

        Assert.Equal("signed-in", Method("rules.rename").GetProperty("x-tessera-access").GetProperty("summary").GetString());
        Assert.Equal("roles: admin", Method("rules.purge").GetProperty("x-tessera-access").GetProperty("summary").GetString());
        Assert.Equal("api-token", Method("rules.internal").GetProperty("x-tessera-access").GetProperty("summary").GetString());
        Assert.Equal("public", Method("rules.ping").GetProperty("x-tessera-access").GetProperty("summary").GetString());
        Assert.True(Method("rules.ping").GetProperty("x-tessera-allow-get").GetBoolean());

        var events = document.GetProperty("x-tessera-events").EnumerateArray().ToList();
        var renamed = Assert.Single(events);
        Assert.Equal("rules.renamed", renamed.GetProperty("topic").GetString());
        Assert.Equal("rules.rename", renamed.GetProperty("published_by")[0].GetString());
        Assert.True(renamed.GetProperty("schema").GetProperty("properties").TryGetProperty("nick", out _));
    }

    public sealed record Profile([property: EmailAddress] string Contact, [property: MaxLength(40)] string Bio);

    public sealed record Renamed(string Nick);

    public sealed class Rules
    {
        [Method]
        [Authenticated]
        [Publishes("rules.renamed", PayloadType = typeof(Renamed))]
        public string Rename(
            [StringLength(20, MinimumLength = 2), RegularExpression("^[a-z]+$")] string nick,
            [Range(1, 10)] int level,
            [MaxLength(3)] string[] tags,
            Profile profile) => nick;

        [Method]
        [RequiresRole("admin")]
        public int Purge() => 0;

        [Method]
        [ApiToken]
        public int Internal() => 0;

        [Method(AllowGet = true)]
        public string Ping() => "pong";
    }
}
