using System.Diagnostics;
using Tessera.Testing;

namespace Tessera.Tests.Client;

/// <summary>The tessera command run as a process against HelloService on real Kestrel, output checked as printed.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;
    private DirectoryInfo _config = null!;

    private string Url => _host.Http.BaseAddress!.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        _host = await ClientHosts.StartAsync();
        _config = Directory.CreateTempSubdirectory("tessera-cli-");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _config.Delete(recursive: true);
    }

    [Fact]
    public async Task Methods_ListsNameParametersAndAccess_PlainWhenPiped()
    {
        var (code, output, _) = await Tessera("methods", Url);

        Assert.Equal(0, code);
        Assert.Contains("math.add(a: integer, b: integer)\tpublic\tAdds two integers.", output.Split('\n').Select(l => l.TrimEnd('\r')));
        Assert.Contains(output.Split('\n'), line => line.StartsWith("counter.increment()\tsigned-in", StringComparison.Ordinal));
        Assert.DoesNotContain("\u2502", output); // no table borders when the output is not a terminal
    }

    [NeedsToolFact("script")]
    public async Task Methods_OnATerminal_IsATable()
    {
        // script(1) gives the command a pseudo-terminal, as a user's shell does.
        var command = $"dotnet {Path.Combine(AppContext.BaseDirectory, "Tessera.Cli.dll")} methods {Url}";
        var (code, output, errors) = await ExternalTool.RunAsync("script", ["-qfec", command, "/dev/null"]);

        Assert.True(code == 0, errors);
        Assert.Contains("│", output);          // the table's borders
        Assert.Contains("math.add", output);
        Assert.Contains("[", output);          // and colour
        Assert.DoesNotContain("math.add(a: integer, b: integer)\t", output);
    }

    [Fact]
    public async Task Methods_AsJson_IsTheOpenRpcMethodList()
    {
        var (code, output, _) = await Tessera("methods", Url, "--output", "json");

        Assert.Equal(0, code);
        var methods = JsonDocument.Parse(output).RootElement;
        Assert.Contains(methods.EnumerateArray(), m => m.GetProperty("name").GetString() == "greeting.hello");
    }

    [Fact]
    public async Task Describe_ShowsParametersResultErrorsAndAccess()
    {
        var (code, output, _) = await Tessera("describe", Url, "math.divide");

        Assert.Equal(0, code);
        Assert.Equal(
            ["math.divide", "  Divides one number by another.", "access: public", "parameters:", "  a: number  The dividend.",
             "  b: number  The divisor; zero fails with error 4000.", "result: number", "errors:", "  4000 division by zero"],
            Lines(output));
    }

    [Theory]
    [InlineData("jsonrpc")]
    [InlineData("toto")]
    [InlineData("xmlrpc")]
    [InlineData("websocket")]
    public async Task Call_ConvertsArgumentsBySchema_OnEveryWire(string wire)
    {
        var (named, namedOutput, namedErrors) = await Tessera("call", Url, "math.add", "a=40", "b=2", "--wire", wire);
        Assert.True(named == 0, namedErrors);
        var (bare, bareOutput, _) = await Tessera("call", Url, "greeting.hello", "ada", "--wire", wire);

        Assert.Equal((0, "42"), (named, namedOutput.Trim()));
        Assert.Equal((0, "hello ada"), (bare, bareOutput.Trim()));
    }

    [Fact]
    public async Task Call_RawJsonInAndOut()
    {
        var (code, output, _) = await Tessera("call", Url, "greeting.hello", "--json", """{"name": "raw"}""", "--output", "json");

        Assert.Equal((0, "\"hello raw\""), (code, output.Trim()));
    }

    [Fact]
    public async Task Call_MethodError_ExitsWith1AndOneLine()
    {
        var (code, output, errors) = await Tessera("call", Url, "math.divide", "a=1", "b=0");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("tessera: error 4000: division by zero", errors.Trim());
    }

    [Fact]
    public async Task Call_BadArgumentOrUnknownMethod_ExitsWith3_WithoutCalling()
    {
        var (badValue, _, valueError) = await Tessera("call", Url, "math.add", "a=forty", "b=2");
        var (unknown, _, unknownError) = await Tessera("call", Url, "math.nope", "a=1");

        Assert.Equal((3, "tessera: a=forty: a is an integer."), (badValue, valueError.Trim()));
        Assert.Equal(3, unknown);
        Assert.Contains("has no method 'math.nope'", unknownError);
    }

    [Fact]
    public async Task Call_UnreachableService_ExitsWith2()
    {
        var (code, _, errors) = await Tessera("call", $"http://127.0.0.1:{ServiceProcess.FreePort()}", "math.add", "--json", """{"a":1,"b":2}""");

        Assert.Equal(2, code);
        Assert.StartsWith("tessera: cannot reach the service:", errors.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_PrintsOneLinePerCall_AndFailsIfAnyFailed()
    {
        var file = Path.Combine(_config.FullName, "calls.json");
        await File.WriteAllTextAsync(file, """[{"method": "math.add", "params": {"a": 1, "b": 2}}, {"method": "math.divide", "params": [1, 0]}, {"method": "greeting.hello", "params": {"name": "b"}}]""");

        var (code, output, _) = await Tessera("batch", Url, file);

        Assert.Equal(1, code);
        Assert.Equal(["math.add: 3", "math.divide: error 4000: division by zero", "greeting.hello: hello b"], Lines(output));
    }

    [Fact]
    public async Task Batch_ReadsStandardInput_GivenDash()
    {
        var (code, output, errors) = await TesseraWithInput("""[{"method": "math.add", "params": [40, 2]}, {"method": "greeting.hello", "params": {"name": "in"}}]""", "batch", Url, "-");

        Assert.True(code == 0, errors);
        Assert.Equal(["math.add: 42", "greeting.hello: hello in"], Lines(output));
    }

    [Fact]
    public async Task Batch_OfAFileThatCannotBeRead_IsAUsageError()
    {
        var (code, _, errors) = await Tessera("batch", Url, Path.Combine(_config.FullName, "missing.json"));

        Assert.Equal(3, code);
        Assert.StartsWith("tessera: cannot read ", errors.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_OfATopicThatIsNotAPattern_SayWhyTheServiceRefused()
    {
        var (code, _, errors) = await Tessera("events", Url, "announcement*");

        Assert.Equal(1, code);
        Assert.Contains("error -32602: Invalid parameters: 'announcement*' is not a topic pattern", errors);
    }

    [Fact]
    public async Task Login_WithSigning_SignsEveryLaterCall_AndWithoutItSaysHowToSignIn()
    {
        await using var signed = await ClientHosts.StartAsync(o => o.Configuration["Tessera:Security:Hmac"] = "signed");
        var url = signed.Http.BaseAddress!.ToString().TrimEnd('/');
        await using (var client = ClientHosts.Client(signed))
        {
            await client.Accounts.CreateAsync("signer", AuthHosts.Password);
        }

        var (login, _, loginErrors) = await TesseraWithInput(AuthHosts.Password + "\n", "login", url, "signer", "--password-stdin", "--signing", "signed");
        var counted = await Tessera("call", url, "counter.increment");
        await TesseraWithInput(AuthHosts.Password + "\n", "login", url, "signer", "--password-stdin");
        var (unsigned, _, refused) = await Tessera("call", url, "counter.increment");

        Assert.True(login == 0, loginErrors);
        Assert.True(counted.Code == 0, counted.Errors);
        Assert.Equal(1, JsonDocument.Parse(counted.Output).RootElement.GetProperty("count").GetInt32());
        Assert.Equal(1, unsigned);
        Assert.StartsWith("tessera: error 1008: ", refused.Trim(), StringComparison.Ordinal);
        Assert.Contains("sign in with 'tessera login URL USER --signing MODE'", refused);
    }

    [Fact]
    public async Task Login_KeepsTheSessionInAnOwnerOnlyProfile_ForLaterCommands_AndLogoutEndsIt()
    {
        await using (var client = ClientHosts.Client(_host))
        {
            await client.Accounts.CreateAsync("cli", AuthHosts.Password);
        }

        var (login, loginOutput, loginErrors) = await TesseraWithInput(AuthHosts.Password + "\n", "login", Url, "cli", "--password-stdin");
        var first = await Tessera("call", Url, "counter.increment");
        var second = await Tessera("call", Url, "counter.increment");
        var profile = Path.Combine(_config.FullName, "tessera", "sessions.json");
        var mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(profile);
        var (logout, _, _) = await Tessera("logout", Url);
        var after = await Tessera("call", Url, "counter.increment");

        Assert.True(login == 0, loginErrors);
        Assert.StartsWith("signed in as cli", loginOutput, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(1, JsonDocument.Parse(first.Output).RootElement.GetProperty("count").GetInt32());
        Assert.Equal(2, JsonDocument.Parse(second.Output).RootElement.GetProperty("count").GetInt32());
        Assert.Equal(0, logout);
        Assert.Equal(1, after.Code);
        Assert.Contains("error 1004", after.Errors);
    }

    [Fact]
    public async Task Events_TailsPublishedEvents()
    {
        await using var publisher = ClientHosts.Client(_host);
        await publisher.Accounts.CreateAsync("tail", AuthHosts.Password);
        var tail = Tessera("events", Url, "announcements", "--count", "2");
        // The tail is live once it has connected; publish until two events have reached it.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var sent = 0;
        while (!tail.IsCompleted && !stop.IsCancellationRequested)
        {
            await publisher.CallAsync<long>("announcement.post", new { text = "line " + ++sent });
            await Task.WhenAny(tail, Task.Delay(300));
        }

        var (code, output, _) = await tail;

        Assert.Equal(0, code);
        var lines = Lines(output);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Matches("""^\d+\tannouncements\t\{"from":"tail","text":"line \d+"\}$""", line));
    }

    [Fact]
    public async Task GenerateCSharp_WritesInterfacesPerGroupWithExactWireNames()
    {
        var folder = Path.Combine(_config.FullName, "generated");

        var (code, output, _) = await Tessera("generate", "csharp", Url, "-o", folder, "-n", "Hello.Client");

        Assert.Equal(0, code);
        var source = await File.ReadAllTextAsync(Directory.GetFiles(folder).Single());
        Assert.Contains("wrote", output);
        Assert.Contains("namespace Hello.Client;", source);
        Assert.Contains("[RemoteName(\"math\")]\npublic interface IMath", source.ReplaceLineEndings("\n"));
        Assert.Contains("Task<long> Add(long a, long b, CancellationToken cancellationToken = default);", source);
        Assert.Contains("Task<AccountLoginResult> Login(string userId, string password, string? totp = default, CancellationToken cancellationToken = default);", source);
        Assert.Contains("public sealed record AccountLoginResult(", source);
        Assert.DoesNotContain("ObjectOf", source);
    }

    [NeedsToolFact("node", "npm")]
    public async Task GenerateTs_CompilesStrictly_AndCallsTheService()
    {
        await ExternalTool.EnsureNodePackagesAsync();
        var folder = Path.Combine(_config.FullName, "ts");

        var (code, _, errors) = await Tessera("generate", "ts", Url, "-o", folder);

        Assert.True(code == 0, errors);
        var generated = Path.GetFileNameWithoutExtension(Directory.GetFiles(folder, "*.ts").Single());
        var source = await File.ReadAllTextAsync(Path.Combine(folder, generated + ".ts"));
        Assert.Contains("add: (a: number, b: number): Promise<number> => caller.call(\"math.add\", { a, b }) as Promise<number>,", source);
        Assert.Contains("export interface AccountLoginResult {", source);
        Assert.Contains("@throws {TesseraError} 4000 division by zero", source);
        await File.WriteAllTextAsync(Path.Combine(folder, "main.ts"), $$"""
            import { createClient, jsonRpc, TesseraError } from "./{{generated}}";

            declare const process: { argv: string[] };

            async function main(url: string) {
              const client = createClient(jsonRpc(url));
              const sum: number = await client.math.add(40, 2);
              const greeting: string = await client.greeting.hello("ts");
              let code = 0;
              try {
                await client.math.divide(1, 0);
              } catch (error) {
                code = error instanceof TesseraError ? error.code : -1;
              }
              let invalid = "";
              try {
                await client.math.add("x" as unknown as number, 2);
              } catch (error) {
                invalid = error instanceof TesseraError ? error.message : String(error);
              }
              console.log(JSON.stringify({ sum, greeting, code, invalid }));
            }

            main(process.argv[2]);
            """);
        var tsc = Path.Combine(ExternalTool.InteropFolder, "node_modules", "typescript", "bin", "tsc");
        var (compiled, compileOutput, _) = await ExternalTool.RunAsync("node",
            [tsc, "--strict", "--target", "es2022", "--lib", "es2022,dom", "--module", "commonjs", "--outDir", folder, Path.Combine(folder, "main.ts")], workingDirectory: folder);
        Assert.True(compiled == 0, compileOutput);
        var (ran, output, runErrors) = await ExternalTool.RunAsync("node", [Path.Combine(folder, "main.js"), Url], workingDirectory: folder);

        Assert.True(ran == 0, runErrors);
        Assert.Equal("""{"sum":42,"greeting":"hello ts","code":4000,"invalid":"Invalid parameters: 'a' must be an integer (int)"}""", output.Trim());
    }

    [NeedsToolFact("node", "npm")]
    public async Task GenerateTs_FromChat_CompilesStrictly_AndCallsThroughTesseraClient()
    {
        await ExternalTool.EnsureJsClientBuiltAsync();
        await using var chat = await ServiceProcess.StartAsync("Chat", "--database=memory");
        var url = $"http://127.0.0.1:{chat.Port}/";
        var folder = Path.Combine(_config.FullName, "chat-ts");

        var (code, _, errors) = await Tessera("generate", "ts", url, "-o", folder);

        Assert.True(code == 0, errors);
        var generated = Path.GetFileNameWithoutExtension(Directory.GetFiles(folder, "*.ts").Single());
        var client = Path.Combine(ExternalTool.JsClientFolder, "dist", "index.js");
        await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), """{"type": "module"}""");
        await File.WriteAllTextAsync(Path.Combine(folder, "main.ts"), $$"""
            import { createClient } from "./{{generated}}.js";
            import { TesseraClient } from "{{client}}";

            declare const process: { argv: string[] };

            const tessera = new TesseraClient(process.argv[2]);
            const chat = createClient(tessera);                      // @tessera/client is a TesseraCaller
            const session = await chat.account.create("typed", "chat-password-1");  // typed: AccountCreateResult
            await tessera.accounts.login("typed", "chat-password-1");
            const posted: void = await chat.chat.post_message("hello from generated TypeScript");
            console.log(JSON.stringify({ user: session.user_id, posted: posted ?? null }));
            """);
        var tsc = Path.Combine(ExternalTool.InteropFolder, "node_modules", "typescript", "bin", "tsc");
        var (compiled, compileOutput, _) = await ExternalTool.RunAsync("node",
            [tsc, "--strict", "--target", "es2022", "--lib", "es2022,dom", "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "--outDir", folder, Path.Combine(folder, "main.ts")], workingDirectory: folder);
        Assert.True(compiled == 0, compileOutput);
        var (ran, output, runErrors) = await ExternalTool.RunAsync("node", [Path.Combine(folder, "main.js"), url], workingDirectory: folder);

        Assert.True(ran == 0, runErrors);
        Assert.Equal("""{"user":"typed","posted":null}""", output.Trim());
    }

    private static List<string> Lines(string output) =>
        [.. output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private Task<(int Code, string Output, string Errors)> Tessera(params string[] args) => TesseraWithInput(null, args);

    private async Task<(int Code, string Output, string Errors)> TesseraWithInput(string? input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tessera.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_CONFIG_HOME"] = _config.FullName;
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }
}
