using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Tessera.Auth;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Wires;
using Tessera.Wires.Http;

namespace Tessera.Tests.Dispatch.Binding;

/// <summary>
/// A URL call's query binds straight from the raw string when no name repeats: for every method and query, that
/// gives the arguments and errors that the query collection gathered into JSON gives (the path taken otherwise, and
/// the only one before): the same names, decoding, conversions, leniency, defaults and messages.
/// </summary>
public sealed class QueryStringBindingTests : IAsyncLifetime
{
    private static readonly string[] Methods =
    [
        "probe.int", "probe.long", "probe.double", "probe.decimal", "probe.bool", "probe.text", "probe.colour", "probe.id",
        "probe.when", "probe.when_offset", "probe.ints", "probe.words", "probe.map", "probe.echo", "probe.raw",
        "probe.optional", "probe.maybe", "probe.two_words", "probe.rules", "probe.mail", "probe.sign_up", "everything.echo",
    ];

    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await Hosts.StartAsync(t =>
    {
        t.Methods.AddType<Probe>();
        t.Methods.AddType<Everything>();
        t.Services.AddSingleton<Clock>();
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public sealed class Everything
    {
        [Method(AllowGet = true)]
        public static string Echo([AllParameters] JsonElement all, string? name = null) => $"{name}|{all.ValueKind}|{all}";
    }

    [Theory]
    [InlineData("?value=7")]
    [InlineData("?value=-1.5e3")]
    [InlineData("?value=seven")]
    [InlineData("?value=")]
    [InlineData("?value")]
    [InlineData("?value=true&other=1")]
    [InlineData("?value=0")]
    [InlineData("?value=dark_blue")]
    [InlineData("?value=DarkBlue")]
    [InlineData("?value=6f1d2c3a-0000-4000-8000-000000000001")]
    [InlineData("?value=2026-11-21T10:00:00%2B02:00")]
    [InlineData("?value=%7B%22x%22:1%7D")]
    [InlineData("?values=5")]
    [InlineData("?values=a%2Cb")]
    [InlineData("?name=ada%20lovelace&times=3&greeting=yo")]
    [InlineData("?name=ada&times=x")]
    [InlineData("?Name=ada")]
    [InlineData("?first_name=ada&userAge=36")]
    [InlineData("?firstName=ada&first_name=bob&user_age=1")]
    [InlineData("?count=null&label=null")]
    [InlineData("?age=200&code=toolong&slug=A1")]
    [InlineData("?address=not-an-email")]
    [InlineData("?person=%7B%7D")]
    [InlineData("?caf%C3%A9=%E2%9C%93&value=%zz")]
    [InlineData("?=x&&value=%4")]
    [InlineData("?")]
    [InlineData("")]
    public void ARawQuery_BindsAsTheQueryCollectionDoes(string query)
    {
        foreach (var method in Methods)
        {
            AssertSameBinding(method, query);
        }
    }

    [Fact]
    public void RandomQueries_BindAsTheQueryCollectionDoes()
    {
        var random = new Random(20261202);
        string[] pieces = ["value", "values", "name", "times", "count", "label", "age", "=", "&", "%", "+", "1", "-", ".", "e",
            "true", "x", "%20", "%C3%A9", "%2B", "%zz", "null", "[", "]", "%22", "first_name", "userAge"];
        for (var round = 0; round < 3000; round++)
        {
            var query = new StringBuilder("?");
            for (var i = random.Next(0, 12); i > 0; i--)
            {
                query.Append(pieces[random.Next(pieces.Length)]);
            }

            AssertSameBinding(Methods[random.Next(Methods.Length)], query.ToString());
        }
    }

    [Theory]
    [InlineData("?a=1&A=2")]
    [InlineData("?tag=x&tag=y")]
    public void ARepeatedName_IsLeftToTheQueryCollection(string query) =>
        Assert.Null(StringValuesJson.DirectQuery(Request(query)));

    [Fact]
    public void ManyFields_AreLeftToTheQueryCollection()
    {
        Assert.NotNull(StringValuesJson.DirectQuery(Request("?" + string.Join("&", Enumerable.Range(0, 16).Select(i => $"f{i}=1")))));
        Assert.Null(StringValuesJson.DirectQuery(Request("?" + string.Join("&", Enumerable.Range(0, 17).Select(i => $"f{i}=1")))));
    }

    [Fact]
    public void AQueryFeatureOfTheApplication_IsLeftToTheQueryCollection()
    {
        var request = Request("?name=raw");
        request.HttpContext.Features.Set<IQueryFeature>(new QueryFeature(new QueryCollection(new Dictionary<string, StringValues> { ["name"] = "replaced" })));

        Assert.Null(StringValuesJson.DirectQuery(request));
    }

    [Fact]
    public async Task OverHttp_AQueryBindsEachWay()
    {
        Assert.Equal("hi ada x3", (await _host.Toto.GetAsync("probe/optional?name=ada&times=3")).Result.GetString());
        Assert.Equal("[1,2]", (await _host.Toto.GetAsync("probe/ints?values=1&values=2")).Result.GetRawText());
        Assert.Equal("""ada|Object|{"name":"ada","x":"1"}""", (await _host.Toto.GetAsync("everything/echo?name=ada&x=1")).Result.GetString());
        Assert.Equal("|Undefined|", (await _host.Toto.GetAsync("everything/echo")).Result.GetString());
    }

    private void AssertSameBinding(string methodName, string query)
    {
        Assert.True(_host.Services.GetRequiredService<MethodRegistry>().TryGet(methodName, out var method), methodName);
        var direct = StringValuesJson.DirectQuery(Request(query));
        if (direct is null)
        {
            return;
        }

        var fromRaw = Bound(method, CallParameters.FromQueryString(direct));
        using var buffer = new PooledBufferWriter();
        using var document = StringValuesJson.ToDocument(Request(query).Query, buffer);
        var fromCollection = Bound(method, new CallParameters(document?.RootElement ?? default, fromStrings: true));

        Assert.True(fromCollection == fromRaw, $"{methodName}{query}: from the query collection {fromCollection}, from the raw query {fromRaw}");
    }

    /// <summary>The binder's error, or its arguments from the wire, written as JSON.</summary>
    private string Bound(MethodDescriptor method, CallParameters parameters)
    {
        var http = new DefaultHttpContext { RequestServices = _host.Services };
        var context = new MethodContext(method.Name, new Caller(http, Transports.Toto), _host.Services, Guid.Empty, default);
        if (ArgumentBinder.Bind(method, parameters, context, out var arguments) is { } error)
        {
            return $"error {error.Code}: {JsonSerializer.Serialize(error.Value)}";
        }

        var wire = method.Parameters.Where(p => p.Source is ParameterSource.Wire or ParameterSource.AllParameters);
        // An absent [AllParameters] object is the default JsonElement, which the serializer refuses to write.
        return JsonSerializer.Serialize(wire.Select(p => arguments[p.Position] is JsonElement { ValueKind: JsonValueKind.Undefined } ? "(none)" : arguments[p.Position]).ToArray());
    }

    private static HttpRequest Request(string query)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        return http.Request;
    }
}
