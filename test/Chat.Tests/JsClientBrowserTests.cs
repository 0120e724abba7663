using Microsoft.Playwright;

namespace Chat.Tests;

/// <summary>
/// @tessera/client's built bundle in Debian's Chromium: a page served by the Chat service imports it, signs in, calls
/// chat.post_message and receives the chat.message event (over the browser's EventSource).
/// </summary>
public sealed class JsClientBrowserTests
{
    [NeedsToolFact("chromium", "node", "npm")]
    public async Task PageUsingTheBundle_CallsAMethod_AndReceivesAnEvent()
    {
        await ExternalTool.EnsureJsClientBuiltAsync();
        var root = Directory.CreateTempSubdirectory("tessera-js-page-");
        try
        {
            var web = Directory.CreateDirectory(Path.Combine(root.FullName, "wwwroot"));
            CopyFolder(Path.Combine(ExternalTool.JsClientFolder, "dist"), Path.Combine(web.FullName, "tessera"));
            await File.WriteAllTextAsync(Path.Combine(web.FullName, "client.html"),
                """<!doctype html><html><head><meta charset="utf-8"><title>@tessera/client</title></head><body><pre id="out">waiting</pre><script type="module" src="client-page.js"></script></body></html>""");
            await File.WriteAllTextAsync(Path.Combine(web.FullName, "client-page.js"), """
                import { TesseraClient, TesseraError } from "./tessera/index.js";

                const out = document.getElementById("out");
                try {
                  const client = new TesseraClient(location.origin + "/");
                  const session = await client.accounts.create("browser" + Math.floor(Math.random() * 1e6), "chat-password-1");
                  const events = client.subscribe("chat.message")[Symbol.asyncIterator]();
                  const next = events.next();
                  // The EventSource is live once it sees a message: post until one arrives.
                  const posting = setInterval(() => client.call("chat.post_message", { message: "from the browser" }), 250);
                  const event = (await next).value;
                  clearInterval(posting);
                  const refused = await client.call("chat.post_message", { message: "" }).catch((e) => e instanceof TesseraError ? e.code : "other");
                  // The same account through the HttpOnly session cookie (Chat turns cookies on): no header, no id in script.
                  const cookieClient = new TesseraClient(location.origin + "/", { cookies: true });
                  await cookieClient.accounts.login(session.userId, "chat-password-1");
                  const withCookie = await cookieClient.call("chat.post_message", { message: "with the cookie" }).then(() => "posted", (e) => "refused " + e.code);
                  const cookieVisible = document.cookie.includes("toto-session-id");
                  out.textContent = JSON.stringify({ user: session.userId, topic: event.topic, data: event.data, refused, withCookie, cookieVisible });
                } catch (error) {
                  out.textContent = "failed: " + error;
                }
                """);
            await using var service = await ServiceProcess.StartAsync("Chat", "--contentRoot=" + root.FullName, "--database=memory");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Chromium.LaunchAsync(playwright);
            var page = await browser.NewPageAsync();

            await page.GotoAsync($"http://127.0.0.1:{service.Port}/client.html");
            var output = page.Locator("#out");
            await Assertions.Expect(output).Not.ToHaveTextAsync("waiting", new() { Timeout = 20_000 });
            var text = await output.TextContentAsync();

            Assert.DoesNotContain("failed", text);
            var result = JsonDocument.Parse(text!).RootElement;
            Assert.StartsWith("browser", result.GetProperty("user").GetString(), StringComparison.Ordinal);
            Assert.Equal("chat.message", result.GetProperty("topic").GetString());
            Assert.Equal("from the browser", result.GetProperty("data").GetProperty("message").GetString());
            Assert.Equal(-32602, result.GetProperty("refused").GetInt32()); // invalid parameters (1003) on JSON-RPC
            Assert.Equal("posted", result.GetProperty("withCookie").GetString());
            Assert.False(result.GetProperty("cookieVisible").GetBoolean()); // HttpOnly: script never sees the session
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
