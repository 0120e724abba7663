using Microsoft.Extensions.Options;
using Tessera.Hosting.Configuration;

namespace Tessera.Tests.Hosting;

public sealed class TesseraConfigurationTests
{
    [Theory]
    [InlineData(new[] { "--port=9000" }, "9000")]
    [InlineData(new[] { "--port", "9000" }, "9000")]
    [InlineData(new[] { "--PORT=9000" }, "9000")]
    public void CommandLine_TotoStyleValues_BecomeTesseraSettings(string[] args, string expected)
    {
        var parsed = TesseraCommandLine.Parse(args, OptionCatalog.Default);

        Assert.Equal(expected, parsed.Settings["Tessera:Port"]);
        Assert.Empty(parsed.Remaining);
    }

    [Fact]
    public void CommandLine_AnySpellingAndEnumValues_AreNormalized()
    {
        var parsed = TesseraCommandLine.Parse(["--max-batch-size=3", "--result_naming=camel_case", "--MaxJsonDepth=5"], OptionCatalog.Default);

        Assert.Equal("3", parsed.Settings["Tessera:MaxBatchSize"]);
        Assert.Equal("CamelCase", parsed.Settings["Tessera:ResultNaming"]);
        Assert.Equal("5", parsed.Settings["Tessera:MaxJsonDepth"]);
    }

    [Fact]
    public void CommandLine_OtherArguments_PassToAspNetCore()
    {
        var parsed = TesseraCommandLine.Parse(["--urls=http://127.0.0.1:1", "--environment", "Development", "--port=1"], OptionCatalog.Default);

        Assert.Equal(["--urls=http://127.0.0.1:1", "--environment", "Development"], parsed.Remaining);
        Assert.Equal("1", parsed.Settings["Tessera:Port"]);
    }

    [Fact]
    public void CommandLine_ConfigAndHelp_AreRecognized()
    {
        var parsed = TesseraCommandLine.Parse(["--config", "/etc/svc.json", "--help"], OptionCatalog.Default);

        Assert.Equal("/etc/svc.json", parsed.ConfigFile);
        Assert.True(parsed.WantsHelp);
    }

    [Fact]
    public async Task Sources_LayerCodeThenFileThenEnvironmentThenCommandLine()
    {
        var directory = Directory.CreateTempSubdirectory("tessera-config-");
        var file = Path.Combine(directory.FullName, "custom.json");
        await File.WriteAllTextAsync(file, """{"root": "/fromfile", "cors_origin": "file", "max_batch_size": 7, "port": 9001}""");
        Environment.SetEnvironmentVariable("TESSERA__CORS_ORIGIN", "env");
        try
        {
            var builder = TesseraServer.CreateBuilder(["--config", file, "--max_batch_size=9"]);
            builder.Services.AddTessera(o =>
            {
                o.MaxJsonDepth = 10;
                o.Root = "/code";
                o.CorsOrigin = "code";
                o.MaxBatchSize = 2;
            });
            await using var app = builder.Build();

            var options = app.Services.GetRequiredService<IOptions<TesseraOptions>>().Value;

            Assert.Equal(10, options.MaxJsonDepth);
            Assert.Equal("/fromfile", options.Root);
            Assert.Equal("env", options.CorsOrigin);
            Assert.Equal(9, options.MaxBatchSize);
            Assert.Equal(9001, options.Port);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TESSERA__CORS_ORIGIN", null);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Sources_TesseraJsonInContentRoot_IsReadByDefault()
    {
        var directory = Directory.CreateTempSubdirectory("tessera-root-");
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "tessera.json"), """{"MaxBatchSize": 4, "Logging": {"LogLevel": {"Default": "Warning"}}}""");
        try
        {
            var builder = TesseraServer.CreateBuilder([$"--contentRoot={directory.FullName}"]);
            builder.Services.AddTessera();
            await using var app = builder.Build();

            Assert.Equal(4, app.Services.GetRequiredService<IOptions<TesseraOptions>>().Value.MaxBatchSize);
            Assert.Equal("Warning", builder.Configuration["Logging:LogLevel:Default"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Sources_MissingExplicitConfigFile_FailsNamingIt()
    {
        var failure = Assert.Throws<FileNotFoundException>(() => TesseraServer.CreateBuilder(["--config=/nonexistent/tessera.json"]));

        Assert.Contains("/nonexistent/tessera.json", failure.Message);
        Assert.Contains("--config", failure.Message);
    }

    [Fact]
    public void Help_ListsEveryOptionWithDefaultAndDescription()
    {
        using var output = new StringWriter();

        TesseraHelp.Write(output, "svc", OptionCatalog.Default);

        var text = output.ToString();
        Assert.StartsWith("Usage: svc [--option=value ...]", text);
        var defaults = new TesseraOptions();
        foreach (var property in typeof(TesseraOptions).GetProperties())
        {
            var name = Tessera.Dispatch.MethodNaming.ToSnakeCase(property.Name);
            var description = property.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false)
                .Cast<System.ComponentModel.DescriptionAttribute>().Single().Description;
            Assert.Contains($"--{name}={property.GetValue(defaults)}", text);
            Assert.Contains(description, text);
        }

        Assert.Contains("--port=8888", text);
        Assert.Contains("--host=127.0.0.1", text);
        Assert.Contains("--config=PATH", text);
    }
}
