using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Chat.Tests;

/// <summary>The explorer at /_tessera/ of HelloService, driven in Debian's Chromium as a developer would use it.</summary>
public sealed class ExplorerBrowserTests
{
    private const string Password = "CorrectHorse!Battery7";

    [NeedsToolFact("chromium")]
    public async Task Explorer_ListsCallsSignsInFollowsTopics_AndChartsLiveMetrics()
    {
        await using var service = await ServiceProcess.StartAsync("HelloService", "--database=memory", "--explorer=on");
        using var http = service.Client();
        await CallAsync(http, null, "account.create", new { user_id = "ada", password = Password });
        var herald = (await CallAsync(http, null, "account.create", new { user_id = "herald", password = Password })).GetProperty("session_id").GetString();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);

        await page.GotoAsync($"http://127.0.0.1:{service.Port}/_tessera");

        // The method list, grouped by prefix, and a form generated from math.add's schema.
        await page.Locator("[data-method='math.add']").ClickAsync();
        await Assertions.Expect(page.Locator("#access")).ToHaveTextAsync("public");
        await page.Locator("input[name='a']").FillAsync("40");
        await page.Locator("input[name='b']").FillAsync("2");
        await page.Locator("#call").ClickAsync();
        await Assertions.Expect(page.Locator("#answer")).ToHaveTextAsync("42");
        await Assertions.Expect(page.Locator("#exchange")).ToContainTextAsync("HTTP 200");
        await Assertions.Expect(page.Locator("#took")).ToContainTextAsync("ms");

        // A wrong type: the service's own 1003 message, on the URL-style wire.
        await page.Locator("#wire").SelectOptionAsync("toto");
        await page.Locator("input[name='a']").FillAsync("forty");
        await page.Locator("#call").ClickAsync();
        await Assertions.Expect(page.Locator("#answer")).ToContainTextAsync("error 1003: Invalid parameters: 'a' must be an integer");

        // Sign in, then follow a topic: an event published by another client appears.
        await page.Locator("#user").FillAsync("ada");
        await page.Locator("#password").FillAsync(Password);
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("signed in as ada");
        await page.Locator("#topics").FillAsync("announcements");
        await page.Locator("#subscribe").ClickAsync();
        await Assertions.Expect(page.Locator("#events")).ToContainTextAsync("subscribed to announcements");
        await CallAsync(http, herald, "announcement.post", new { text = "hello explorer" });
        await Assertions.Expect(page.Locator("#events li[data-topic='announcements']")).ToContainTextAsync("hello explorer");

        // Fifty calls from elsewhere show in math.add's live chart within a few refreshes.
        for (var i = 0; i < 50; i++)
        {
            await CallAsync(http, null, "math.add", new { a = i, b = 1 });
        }

        var total = page.Locator("[data-metrics='math.add'] .calls-total");
        await Assertions.Expect(total).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(5[2-9]|[6-9][0-9])$"), new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-metrics='math.add'] svg polyline")).ToHaveCountAsync(3);

        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "explorer.png"), FullPage = true });
        Assert.Empty(problems); // no CSP violation, no script error
    }

    private static async Task<JsonElement> CallAsync(HttpClient http, string? session, string method, object parameters)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + method.Replace('.', '/')) { Content = JsonContent.Create(parameters) };
        if (session is not null)
        {
            request.Headers.Add("x-toto-session-id", session);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("result");
    }
}
