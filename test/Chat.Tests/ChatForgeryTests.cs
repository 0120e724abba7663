using Microsoft.Playwright;

namespace Chat.Tests;

/// <summary>
/// Forged requests in Debian's Chromium, driven by Playwright: a signed-in user visits an attacker's page that tries to
/// post in their name with a link (a cross-site GET navigation, which carries the SameSite=Lax cookie) and with an
/// auto-submitted form from a same-site origin on another port (which carries it too). Neither posts anything.
/// </summary>
public sealed class ChatForgeryTests
{
    [NeedsToolFact("chromium")]
    public async Task AttackerPages_CannotPostInTheSignedInUsersName()
    {
        await using var chat = await ChatService.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var service = $"http://127.0.0.1:{chat.Port}";
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(service + "/");
        await page.FillAsync("#user", "ada");
        await page.FillAsync("#password", "browser-password-1");
        await page.ClickAsync("#create");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('following the chat')");
        Assert.Contains(await context.CookiesAsync([service]), c => c.Name == "toto-session-id");

        // The attacker's pages: one on another site, one on this site's host but another port (same-site, cross-origin).
        await context.RouteAsync("http://attacker.test/**", route => route.FulfillAsync(Html(
            $"""<a id="go" href="{service}/chat/post_message?message=forged-by-link">win a prize</a>""")));
        await context.RouteAsync("http://127.0.0.1:1/**", route => route.FulfillAsync(Html(
            $"""
            <form id="f" method="post" action="{service}/chat/post_message"><input name="message" value="forged-by-form"></form>
            <script>document.getElementById('f').submit()</script>
            """)));

        var attacker = await context.NewPageAsync();
        attacker.SetDefaultTimeout(15_000);
        await attacker.GotoAsync("http://attacker.test/");
        var linkAnswer = await attacker.RunAndWaitForResponseAsync(() => attacker.ClickAsync("#go"), r => r.Url.Contains("forged-by-link"));
        var formAnswer = await attacker.RunAndWaitForResponseAsync(() => attacker.GotoAsync("http://127.0.0.1:1/post.html"), r => r.Url.EndsWith("/chat/post_message"));
        var formBody = await formAnswer.TextAsync();

        // The user's own page still posts; it is the first message anyone sees, so nothing forged went before it.
        await page.FillAsync("#message", "my own message");
        await page.ClickAsync("#send");
        await page.Locator("#messages li").Filter(new LocatorFilterOptions { HasText = "my own message" }).WaitForAsync();

        Assert.Equal(405, linkAnswer.Status);
        Assert.Contains("Cross-site request refused", formBody);
        Assert.Equal(1, await page.Locator("#messages li").CountAsync());
    }

    private static RouteFulfillOptions Html(string body) => new() { ContentType = "text/html", Body = $"<!doctype html><html><body>{body}</body></html>" };
}
