using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Tessera.Buffers;
using Tessera.Wires.Http;

namespace Tessera.Tests.Wires.Http;

/// <summary>
/// A URL call's query read straight from the raw string gives the JSON that ASP.NET Core's query collection gives:
/// the same names, values, decoding, order, and repeated keys (ignoring case) gathered into arrays.
/// </summary>
public sealed class StringValuesJsonTests
{
    [Theory]
    [InlineData("?name=ada")]
    [InlineData("?a=1&b=2&c=3")]
    [InlineData("?name=ada%20lovelace&x=a+b")]
    [InlineData("?na%6De=%E2%9C%93&caf%C3%A9=1")]
    [InlineData("?a=1&A=2")]
    [InlineData("?tag=x&other=y&TAG=z&tag=w")]
    [InlineData("?flag&empty=&=value&&")]
    [InlineData("?bad=%zz&half=%4&pct=%")]
    [InlineData("?a=1&a=2")]
    [InlineData("?&")]
    [InlineData("?")]
    [InlineData("")]
    public void TheRawQuery_GivesWhatTheQueryCollectionGives(string query) =>
        Assert.Equal(FromCollection(query), FromRaw(query));

    [Fact]
    public void ManyFields_AndRandomQueries_GiveWhatTheQueryCollectionGives()
    {
        var many = "?" + string.Join("&", Enumerable.Range(0, 40).Select(i => $"f{i}={i}"));
        Assert.Equal(FromCollection(many), FromRaw(many));

        var random = new Random(20261201);
        string[] pieces = ["a", "A", "b", "B", "=", "&", "%", "+", "2", "f", "F", "0", "%20", "%C3%A9", "%zz", "?"];
        for (var round = 0; round < 5000; round++)
        {
            var query = new StringBuilder("?");
            for (var i = random.Next(0, 24); i > 0; i--)
            {
                query.Append(pieces[random.Next(pieces.Length)]);
            }

            Assert.Equal(FromCollection(query.ToString()), FromRaw(query.ToString()));
        }
    }

    [Fact]
    public void AQueryFeatureOfTheApplication_IsAsked()
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString("?name=raw");
        http.Features.Set<IQueryFeature>(new QueryFeature(new QueryCollection(new Dictionary<string, StringValues> { ["name"] = "replaced" })));

        Assert.Equal("""{"name":"replaced"}""", Json(StringValuesJson.FromQuery(http.Request, new PooledBufferWriter())));
    }

    private static string? FromRaw(string query)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        using var buffer = new PooledBufferWriter();
        return Json(StringValuesJson.FromQuery(http.Request, buffer));
    }

    private static string? FromCollection(string query)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        using var buffer = new PooledBufferWriter();
        return Json(StringValuesJson.ToDocument(http.Request.Query, buffer));
    }

    private static string? Json(JsonDocument? document)
    {
        using (document)
        {
            return document is null ? null : JsonSerializer.Serialize(document.RootElement);
        }
    }
}
