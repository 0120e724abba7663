using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Tessera.Tests.Wires.XmlRpc;

public sealed class XmlRpcTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public sealed record Point(int X, int Y);

    public async Task InitializeAsync() => _host = await TesseraTestHost.StartAsync(t =>
    {
        t.Methods.AddAssembly(typeof(HelloService.Greeting).Assembly).AddType<Shapes>();
        t.AddAccounts();
        t.Methods.Add("types.echo", (JsonElement value) => value);
        t.Methods.Add("types.when", (DateTime when) => when.AddDays(1));
        t.Methods.Add("types.bytes", (byte[] data) => data.Reverse().ToArray());
        t.Methods.Add("types.point", (Point point) => point with { X = point.X + 1 });
        t.Methods.Add("types.maybe", (int? value) => value is null ? "nil" : "value");
        t.Methods.Add("types.big", () => 9_000_000_000L);
        t.Methods.Add("types.control", () => "bell\u0007 & <tag> \uFFFF end");
    }, o => o.Configuration["Tessera:Storage:Database"] = "Memory");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Call(string method, params string[] values) =>
        $"<?xml version=\"1.0\"?><methodCall><methodName>{method}</methodName><params>{string.Concat(values.Select(v => $"<param><value>{v}</value></param>"))}</params></methodCall>";

    private async Task<(int Status, XElement Answer)> Post(string xml, string contentType = "text/xml")
    {
        var response = await _host.Toto.PostAsync("RPC2", new StringContent(xml, Encoding.UTF8, contentType));
        return (response.StatusCode, XDocument.Parse(response.Body).Root!);
    }

    private static XElement Value(XElement answer) => answer.Element("params")!.Element("param")!.Element("value")!;

    private static (int Code, string Message) Fault(XElement answer)
    {
        var members = answer.Element("fault")!.Element("value")!.Element("struct")!.Elements("member")
            .ToDictionary(m => m.Element("name")!.Value, m => m.Element("value")!.Elements().Single().Value);
        return (int.Parse(members["faultCode"]), members["faultString"]);
    }

    [Theory]
    [InlineData("<int>42</int>", "<int>42</int>")]
    [InlineData("<i4>-7</i4>", "<int>-7</int>")]
    [InlineData("<i8>9000000000</i8>", "<i8>9000000000</i8>")]
    [InlineData("<boolean>1</boolean>", "<boolean>1</boolean>")]
    [InlineData("<boolean>0</boolean>", "<boolean>0</boolean>")]
    [InlineData("<string>a &amp; b</string>", "<string>a &amp; b</string>")]
    [InlineData("untyped text", "<string>untyped text</string>")]
    [InlineData("<double>2.5</double>", "<double>2.5</double>")]
    [InlineData("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>", "<string>1998-07-17T14:08:55</string>")]
    [InlineData("<base64>aGVsbG8=</base64>", "<string>aGVsbG8=</string>")]
    [InlineData("<nil/>", "<nil />")]
    [InlineData("<array><data><value><int>1</int></value><value><string>x</string></value></data></array>", "<array><data><value><int>1</int></value><value><string>x</string></value></data></array>")]
    [InlineData("<struct><member><name>k</name><value><boolean>1</boolean></value></member></struct>", "<struct><member><name>k</name><value><boolean>1</boolean></value></member></struct>")]
    public async Task StandardTypes_RoundTripThroughJson(string sent, string expected)
    {
        var (status, answer) = await Post(Call("types.echo", sent));

        Assert.Equal(200, status);
        Assert.Equal($"<value>{expected}</value>", Value(answer).ToString(SaveOptions.DisableFormatting));
    }

    [Theory]
    [InlineData("<string>  two spaces  </string>", "  two spaces  ")]
    [InlineData("<string>line\r\nbreak</string>", "line\nbreak")] // XML reads a literal CR LF as LF
    [InlineData("<string>a&#xD;&#xA;b</string>", "a\r\nb")]
    [InlineData("<string>&#xD;</string>", "\r")]
    [InlineData("<string>a<![CDATA[<b>]]>c</string>", "a<b>c")]
    [InlineData("  untyped  ", "  untyped  ")]
    [InlineData("<string/>", "")]
    [InlineData("", "")]
    public async Task Strings_KeepEveryCharacter_BothWays(string sent, string expected)
    {
        var response = await _host.Toto.PostAsync("RPC2", new StringContent(Call("types.echo", sent), Encoding.UTF8, "text/xml"));

        // A conforming parser that keeps whitespace reads back what was sent: spaces, CDATA and carriage returns.
        Assert.Equal(expected, Value(XDocument.Parse(response.Body, LoadOptions.PreserveWhitespace).Root!).Element("string")!.Value);
    }

    [Fact]
    public async Task CharactersXmlCannotCarry_AreAnsweredAsReplacementCharacters()
    {
        var (_, answer) = await Post(Call("types.control"));

        Assert.Equal("bell\uFFFD & <tag> \uFFFD end", Value(answer).Element("string")!.Value);
    }

    [Theory]
    [InlineData("<struct><member><value><int>1</int></value><name>k</name></member></struct>", "A <member> has no <name>.")]
    [InlineData("<struct><member><name>k</name></member></struct>", "A <member> has no <value>.")]
    [InlineData("<int>1<b>2</b></int>", "<int> holds an element; it may hold only text.")]
    [InlineData("<struct><member><name>k</name><value><int>1</int></value></member><member><name>k</name><value><int>2</int></value></member></struct>", "A <struct> names the same member twice; each name may appear once.")]
    public async Task MisshapenValues_AreInvalidRequests_WithTheReason(string sent, string reason)
    {
        var (_, answer) = await Post(Call("types.echo", sent));

        Assert.Equal((-32600, reason), Fault(answer));
    }

    [Fact]
    public async Task UnknownElements_AreIgnored_ButCountAgainstTheDepthLimit()
    {
        var (_, ignored) = await Post("<methodCall><extra><x/></extra><methodName>types.echo</methodName><params><note>n</note><param><value><int>5</int></value></param></params></methodCall>");
        Assert.Equal("5", Value(ignored).Element("int")!.Value);

        var deep = string.Concat(Enumerable.Repeat("<x>", 5000)) + string.Concat(Enumerable.Repeat("</x>", 5000));
        var (_, refused) = await Post($"<methodCall><methodName>types.echo</methodName>{deep}<params/></methodCall>");
        Assert.Equal((-32600, "The values are nested too deeply."), Fault(refused));
    }

    [Fact]
    public async Task AnythingButCommentsAfterTheCall_IsNotWellFormed()
    {
        var (_, answer) = await Post(Call("greeting.hello", "<string>x</string>") + "<second/>");

        Assert.Equal(-32700, Fault(answer).Code);
    }

    [Fact]
    public async Task DateTimeAndBase64_KeepTheirXmlRpcTypes_WhenTheMethodDeclaresThem()
    {
        var (_, when) = await Post(Call("types.when", "<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>"));
        var (_, bytes) = await Post(Call("types.bytes", "<base64>AQID</base64>"));

        Assert.Equal("19980718T14:08:55", Value(when).Element("dateTime.iso8601")!.Value);
        Assert.Equal("AwIB", Value(bytes).Element("base64")!.Value);
    }

    [Fact]
    public async Task Struct_BindsToARecord()
    {
        var (_, answer) = await Post(Call("types.point", "<struct><member><name>x</name><value><int>1</int></value></member><member><name>y</name><value><int>5</int></value></member></struct>"));

        Assert.Equal("<struct><member><name>x</name><value><int>2</int></value></member><member><name>y</name><value><int>5</int></value></member></struct>",
            Value(answer).Elements().Single().ToString(SaveOptions.DisableFormatting));
    }

    [Fact]
    public async Task Nil_BindsToANullableParameter()
    {
        var (_, answer) = await Post(Call("types.maybe", "<nil/>"));

        Assert.Equal("nil", Value(answer).Element("string")!.Value);
    }

    [Fact]
    public async Task MethodError_IsAFaultWithItsCode()
    {
        var (status, answer) = await Post(Call("math.divide", "<int>1</int>", "<int>0</int>"));

        Assert.Equal(200, status);
        Assert.Equal((4000, "division by zero"), Fault(answer));
    }

    [Theory]
    [InlineData("no.such", -32601)]
    [InlineData("math.add", -32602)]
    public async Task ProtocolErrors_UseTheInteroperableCodes(string method, int code)
    {
        var (_, answer) = await Post(Call(method, "<string>x</string>"));

        Assert.Equal(code, Fault(answer).Code);
    }

    [Fact]
    public async Task UnexpectedException_IsAnInternalErrorFaultWithoutDetails()
    {
        var (_, answer) = await Post(Call("shapes.fail"));

        var fault = Fault(answer);
        Assert.Equal(-32603, fault.Code);
        Assert.DoesNotContain("secret", fault.Message);
    }

    [Fact]
    public async Task NonStringErrorValue_IsItsJsonText()
    {
        var (_, answer) = await Post(Call("shapes.refuse"));

        Assert.Equal((4242, """{"reason":"quota","left":0}"""), Fault(answer));
    }

    [Fact]
    public async Task ApiTokenFailure_IsAccessDenied32001()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData("t"u8));
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:ApiTokenHashes"] = hash);

        var response = await host.Toto.PostAsync("RPC2", new StringContent(Call("secure.private"), Encoding.UTF8, "text/xml"));

        Assert.Equal((-32001, "Access denied"), Fault(XDocument.Parse(response.Body).Root!));
    }

    [Fact]
    public async Task Introspection_DescribesMethods()
    {
        var (_, list) = await Post(Call("system.listMethods"));
        var (_, signature) = await Post(Call("system.methodSignature", "<string>math.divide</string>"));
        var (_, help) = await Post(Call("system.methodHelp", "<string>math.divide</string>"));
        var (_, unknown) = await Post(Call("system.methodHelp", "<string>no.such</string>"));

        var names = Value(list).Descendants("string").Select(s => s.Value).ToList();
        Assert.Contains("greeting.hello", names);
        Assert.Contains("system.listMethods", names);
        Assert.Equal(["double", "double", "double"], Value(signature).Descendants("string").Select(s => s.Value));
        Assert.NotNull(Value(help).Element("string"));
        Assert.Equal(-32601, Fault(unknown).Code);
    }

    [Fact]
    public async Task Multicall_AnswersEachCallOrItsFault_AndRefusesNesting()
    {
        const string calls = """
            <array><data>
              <value><struct><member><name>methodName</name><value>math.add</value></member><member><name>params</name><value><array><data><value><int>1</int></value><value><int>2</int></value></data></array></value></member></struct></value>
              <value><struct><member><name>methodName</name><value>math.divide</value></member><member><name>params</name><value><array><data><value><int>1</int></value><value><int>0</int></value></data></array></value></member></struct></value>
              <value><struct><member><name>methodName</name><value>system.multicall</value></member><member><name>params</name><value><array><data></data></array></value></member></struct></value>
            </data></array>
            """;

        var (_, answer) = await Post(Call("system.multicall", calls));

        var results = Value(answer).Element("array")!.Element("data")!.Elements("value").ToArray();
        Assert.Equal("3", results[0].Descendants("int").Single().Value);
        Assert.Contains(results[1].Descendants("member"), m => m.Element("name")!.Value == "faultCode" && m.Element("value")!.Value == "4000");
        Assert.Contains(results[2].Descendants("member"), m => m.Element("name")!.Value == "faultCode" && m.Element("value")!.Value == "-32600");
    }

    [Fact]
    public async Task BillionLaughs_IsRefusedAsAParseFault()
    {
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            ]>
            <methodCall><methodName>greeting.hello</methodName><params><param><value>&lol9;</value></param></params></methodCall>
            """;

        var (status, answer) = await Post(bomb);

        Assert.Equal(200, status);
        var fault = Fault(answer);
        Assert.Equal(-32700, fault.Code);
        Assert.Contains("DTD", fault.Message);
        await AssertStillServing();
    }

    [Fact]
    public async Task ExternalEntity_IsRefusedAndNothingIsRead()
    {
        const string xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE call [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <methodCall><methodName>greeting.hello</methodName><params><param><value>&secret;</value></param></params></methodCall>
            """;

        var response = await _host.Toto.PostAsync("RPC2", new StringContent(xxe, Encoding.UTF8, "text/xml"));

        Assert.Equal(-32700, Fault(XDocument.Parse(response.Body).Root!).Code);
        Assert.DoesNotContain("root:", response.Body);
    }

    [Fact]
    public async Task TenMegabyteBody_IsRefusedWith413()
    {
        var huge = Call("greeting.hello", "<string>" + new string('x', 10 * 1024 * 1024) + "</string>");

        var response = await _host.Toto.PostAsync("RPC2", new StringContent(huge, Encoding.UTF8, "text/xml"));

        Assert.Equal(413, response.StatusCode);
        await AssertStillServing();
    }

    [Fact]
    public async Task DeepNesting_IsRefused()
    {
        var deep = string.Concat(Enumerable.Repeat("<array><data><value>", 200)) + "<int>1</int>" + string.Concat(Enumerable.Repeat("</value></data></array>", 200));

        var (_, answer) = await Post(Call("types.echo", deep));

        Assert.Equal((-32600, "The values are nested too deeply."), Fault(answer));
    }

    [Theory]
    [InlineData("not xml at all", -32700)]
    [InlineData("<methodCall><params/></methodCall>", -32600)]
    [InlineData("<other/>", -32600)]
    [InlineData("<methodCall><methodName>types.echo</methodName><params><param><value><int>x</int></value></param></params></methodCall>", -32600)]
    [InlineData("<methodCall><methodName>types.echo</methodName><params><param><value><float>1</float></value></param></params></methodCall>", -32600)]
    public async Task MalformedRequests_AreFaults(string xml, int code)
    {
        var (status, answer) = await Post(xml);

        Assert.Equal(200, status);
        Assert.Equal(code, Fault(answer).Code);
    }

    [Fact]
    public async Task WrongContentTypeOrVerb_AreRefused()
    {
        var json = await _host.Toto.PostAsync("RPC2", new StringContent(Call("math.add"), Encoding.UTF8, "application/json"));
        var get = await _host.Toto.GetAsync("RPC2");

        Assert.Equal(415, json.StatusCode);
        Assert.Equal(405, get.StatusCode);
    }

    private async Task AssertStillServing()
    {
        var (_, answer) = await Post(Call("greeting.hello", "<string>still</string>"));
        Assert.Equal("hello still", Value(answer).Element("string")!.Value);
    }
}
