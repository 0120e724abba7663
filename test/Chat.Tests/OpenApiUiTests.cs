using Microsoft.Playwright;

namespace Chat.Tests;

/// <summary>
/// A service's /_tessera/openapi.json in Swagger UI (swagger-ui-dist, pinned in test/interop), in Chromium: the Chat
/// service, which serves static files, serving Swagger UI's files beside its own document.
/// </summary>
public sealed class OpenApiUiTests
{
    [NeedsToolFact("chromium", "npm")]
    public async Task SwaggerUi_RendersEveryOperation_WithoutErrors()
    {
        await ExternalTool.EnsureNodePackagesAsync();
        var root = Directory.CreateTempSubdirectory("tessera-swagger-");
        try
        {
            var web = Directory.CreateDirectory(Path.Combine(root.FullName, "wwwroot"));
            var dist = Path.Combine(ExternalTool.InteropFolder, "node_modules", "swagger-ui-dist");
            foreach (var file in new[] { "index.html", "index.css", "swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js" })
            {
                File.Copy(Path.Combine(dist, file), Path.Combine(web.FullName, file));
            }

            // The document of the service serving the page; no call to Swagger's online validator.
            await File.WriteAllTextAsync(Path.Combine(web.FullName, "swagger-initializer.js"), """
                window.onload = function () {
                  window.ui = SwaggerUIBundle({ url: "/_tessera/openapi.json", dom_id: "#swagger-ui", validatorUrl: null,
                    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });
                };
                """);
            await using var service = await ServiceProcess.StartAsync("Chat", "--contentRoot=" + root.FullName, "--database=memory");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Chromium.LaunchAsync(playwright);
            var page = await browser.NewPageAsync();

            await page.GotoAsync($"http://127.0.0.1:{service.Port}/index.html");

            var post = page.Locator(".opblock-post .opblock-summary-path[data-path='/chat/post_message']");
            await Assertions.Expect(post).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator(".opblock-summary-path[data-path='/account/login']")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator(".errors-wrapper")).ToHaveCountAsync(0);
            await post.ClickAsync();
            await Assertions.Expect(page.Locator(".opblock-post.is-open")).ToContainTextAsync("message");
            Assert.StartsWith("Chat", (await page.Locator(".info .title").TextContentAsync())?.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
