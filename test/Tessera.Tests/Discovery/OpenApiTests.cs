using System.Text;
using Microsoft.OpenApi;

namespace Tessera.Tests.Discovery;

/// <summary>/_tessera/openapi.json: valid OpenAPI 3.1 by Microsoft.OpenApi's reader and rules, and true to the service.</summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;
    private string _json = "";

    public async Task InitializeAsync()
    {
        _host = await TesseraTestHost.StartAsync(
            t => t.AddAccounts().AddBson().Methods.AddAssembly(typeof(HelloService.Greeting).Assembly),
            o =>
            {
                o.Configuration["Tessera:Storage:Database"] = "Memory";
                o.Configuration["Tessera:ServiceName"] = "hello";
            });
        using var response = await _host.Http.GetAsync("/_tessera/openapi.json");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        _json = await response.Content.ReadAsStringAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Document_LoadsInMicrosoftOpenApi_WithoutErrorsOrWarnings()
    {
        var read = OpenApiDocument.Parse(_json, "json");

        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Empty(read.Diagnostic.Warnings);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        var document = Assert.IsType<OpenApiDocument>(read.Document);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet())!);
        Assert.Equal("hello", document.Info?.Title);
    }

    [Fact]
    public void EveryMethod_IsAPostOperationAtItsPath_AndGetOnlyWhereAllowed()
    {
        var paths = JsonDocument.Parse(_json).RootElement.GetProperty("paths");

        var add = paths.GetProperty("/math/add");
        Assert.Equal("math.add", add.GetProperty("post").GetProperty("operationId").GetString());
        Assert.Equal(["a", "b"], add.GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["a", "b"], add.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.False(paths.GetProperty("/counter/increment").TryGetProperty("get", out _));
        Assert.False(paths.GetProperty("/account/login").TryGetProperty("get", out _));
        Assert.Contains("4000 division by zero", paths.GetProperty("/math/divide").GetProperty("post").GetProperty("responses").GetProperty("200").GetProperty("description").GetString());
    }

    [Fact]
    public void AccessRules_AreSecurityRequirements()
    {
        var paths = JsonDocument.Parse(_json).RootElement.GetProperty("paths");

        var counter = paths.GetProperty("/counter/increment").GetProperty("post");
        Assert.Equal(["session", "sessionCookie", "bearer"], counter.GetProperty("security").EnumerateArray().Select(r => r.EnumerateObject().Single().Name));
        Assert.False(paths.GetProperty("/math/add").GetProperty("post").TryGetProperty("security", out _));
        Assert.Equal("signed-in", counter.GetProperty("x-tessera-access").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task AnOperationCalledAsTheDocumentDescribesIt_Answers()
    {
        var document = JsonDocument.Parse(_json).RootElement;
        var server = document.GetProperty("servers")[0].GetProperty("url").GetString()!.TrimEnd('/');

        using var response = await _host.Http.PostAsync(server + "/math/add", new StringContent("""{"a": 40, "b": 2}""", Encoding.UTF8, "application/json"));

        Assert.Equal("""{"result":42}""", await response.Content.ReadAsStringAsync());
    }
}
