using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Auth;
using Tessera.Wires.Http;
using Tessera.Wires.JsonRpc;
using Tessera.Wires.Toto;
using Tessera.Wires.XmlRpc;

namespace Tessera.Tests.Wires.Http;

/// <summary>A filter that fails every call of <c>greeting.hello</c> with an unexpected exception.</summary>
public sealed class FailingFilter : IMethodFilter
{
    public ValueTask<object?> InvokeAsync(MethodInvocationContext invocation, MethodFilterDelegate next) =>
        invocation.Call.MethodName == "greeting.hello" ? throw new InvalidOperationException("filter bug") : next(invocation);
}

/// <summary>
/// Unexpected failures, inside a call (a filter) or outside any call (a wire), answer in the wire's own error shape
/// with the transaction id that the logged error carries, and never with exception details in Production.
/// </summary>
public sealed partial class LastResortTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await TesseraTestHost.StartAsync(
        t => t.AddFilter<FailingFilter>().Methods.AddType<HelloService.Greeting>(),
        o =>
        {
            o.UseKestrel = true;
            o.ConfigureBuilder = builder => builder.Logging.AddProvider(_logs);
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FilterException_OnJsonRpc_AnswersMinus32603WithTheLoggedTransactionId()
    {
        using var response = await _host.Http.PostAsync("/api", new StringContent(
            """{"jsonrpc":"2.0","method":"greeting.hello","params":["ada"],"id":1}""", Encoding.UTF8, "application/json"));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(-32603, error.GetProperty("code").GetInt32());
        AssertLoggedWithTheSameTransaction(error.GetProperty("data").GetString()!, eventId: 1);
    }

    [Fact]
    public async Task FilterException_OnXmlRpc_AnswersAFaultWithTheLoggedTransactionId()
    {
        using var response = await _host.Http.PostAsync("/RPC2", new StringContent(
            "<?xml version=\"1.0\"?><methodCall><methodName>greeting.hello</methodName><params><param><value>ada</value></param></params></methodCall>",
            Encoding.UTF8, "text/xml"));
        var xml = await response.Content.ReadAsStringAsync();

        Assert.Contains("<int>-32603</int>", xml);
        AssertLoggedWithTheSameTransaction(xml, eventId: 1);
    }

    [Theory]
    [InlineData(typeof(JsonRpcEndpoint), 200, "\"code\":-32603")]
    [InlineData(typeof(XmlRpcEndpoint), 200, "<int>-32603</int>")]
    [InlineData(typeof(TotoEndpoint), 500, "\"code\":1000")]
    public async Task FailureOutsideAnyCall_AnswersInTheWiresShapeWithTheLoggedTransactionId(Type endpoint, int status, string shape)
    {
        var wire = _host.Services.GetRequiredService<HttpWire>();
        var errorShape = (IHttpErrorShape)_host.Services.GetRequiredService(endpoint);
        var http = new DefaultHttpContext { RequestServices = _host.Services };
        http.Request.Method = "POST";
        http.Response.Body = new MemoryStream();

        await wire.GuardAsync(http, new Caller(http, "test"), errorShape, (_, _) => throw new InvalidOperationException("a writer bug"));
        var body = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());

        Assert.Equal(status, http.Response.StatusCode);
        Assert.Contains(shape, body);
        Assert.DoesNotContain("a writer bug", body);
        AssertLoggedWithTheSameTransaction(body, eventId: 6);
    }

    private void AssertLoggedWithTheSameTransaction(string answer, int eventId)
    {
        var transaction = TransactionId().Match(answer);
        Assert.True(transaction.Success, answer);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.EventId.Id == eventId && e.Message.Contains(transaction.Value, StringComparison.Ordinal));
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex TransactionId();
}
