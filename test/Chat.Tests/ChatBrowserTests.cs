using Microsoft.Playwright;

namespace Chat.Tests;

/// <summary>The Chat page in Debian's Chromium, driven by Playwright: two users, two pages, live messages.</summary>
public sealed class ChatBrowserTests
{
    [NeedsToolFact("chromium")]
    public async Task TwoUsers_OnTwoPages_SeeEachOthersMessagesLive()
    {
        await using var chat = await ChatService.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var url = $"http://127.0.0.1:{chat.Port}/";
        var ada = await OpenAsync(browser, url, "ada");
        var bob = await OpenAsync(browser, url, "bob");

        await SendAsync(ada, "hello from ada <script>alert(1)</script>");
        await Expect(bob, "ada", "hello from ada <script>alert(1)</script>");
        await SendAsync(bob, "hi ada, bob here");
        await Expect(ada, "bob", "hi ada, bob here");
        await Expect(ada, "ada", "hello from ada <script>alert(1)</script>");

        // Messages are text, never markup.
        Assert.Equal(0, await bob.Locator("#messages script").CountAsync());
        await ada.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "tessera-chat.png") });
    }

    private static async Task<IPage> OpenAsync(IBrowser browser, string url, string user)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(url);
        await page.FillAsync("#user", user);
        await page.FillAsync("#password", "browser-password-1");
        await page.ClickAsync("#create");
        await page.WaitForSelectorAsync("#post:not([hidden])");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('following the chat')");
        return page;
    }

    private static async Task SendAsync(IPage page, string message)
    {
        await page.FillAsync("#message", message);
        await page.ClickAsync("#send");
    }

    private static Task Expect(IPage page, string user, string message) =>
        page.Locator("#messages li").Filter(new LocatorFilterOptions { HasText = message }).Filter(new LocatorFilterOptions { HasText = user }).First
            .WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
}
