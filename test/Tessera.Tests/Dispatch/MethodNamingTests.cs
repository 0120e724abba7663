using Tessera.Dispatch;

namespace Tessera.Tests.Dispatch;

public sealed class MethodNamingTests
{
    private sealed class Greeting;

    private sealed class UserProfile;

    private sealed class AccountMethods;

    private sealed class BillingService;

    private sealed class Methods;

    [Theory]
    [InlineData(typeof(Greeting), "Hello", "greeting.hello")]
    [InlineData(typeof(UserProfile), "GetAvatar", "user_profile.get_avatar")]
    [InlineData(typeof(AccountMethods), "Login", "account.login")]
    [InlineData(typeof(BillingService), "CreateInvoice", "billing.create_invoice")]
    [InlineData(typeof(UserProfile), "GetAvatarAsync", "user_profile.get_avatar")]
    [InlineData(typeof(Methods), "Ping", "methods.ping")]
    public void ConventionalName_SnakeCasesAndDropsSuffixes(Type type, string method, string expected) =>
        Assert.Equal(expected, MethodNaming.ConventionalName(type, method));

    [Theory]
    [InlineData("a", true)]
    [InlineData("a.b.c", true)]
    [InlineData("user_profile.get_avatar2", true)]
    [InlineData("", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("a..b", false)]
    [InlineData("a b", false)]
    [InlineData("a-b", false)]
    [InlineData("a/b", false)]
    [InlineData("é.b", false)]
    public void IsValidName_AllowsLettersDigitsUnderscoresInDottedParts(string name, bool valid) =>
        Assert.Equal(valid, MethodNaming.IsValidName(name));

    [Theory]
    [InlineData("rpc.discover", "rpc")]
    [InlineData("system.listMethods", "system")]
    [InlineData("api.call", "api")]
    [InlineData("RPC2.x", "rpc2")]
    [InlineData("events.x", "events")]
    [InlineData("ws.x", "ws")]
    [InlineData("_tessera.x", "_tessera")]
    [InlineData("greeting.hello", null)]
    [InlineData("apis.x", null)]
    public void ReservedPrefixOf_FindsProtocolPathsAndPrefixes(string name, string? expected) =>
        Assert.Equal(expected, MethodNaming.ReservedPrefixOf(name));
}
