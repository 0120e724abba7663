using Microsoft.Extensions.Options;
using Tessera.Auth.Accounts;

namespace Tessera.Tests.Auth.Accounts;

public sealed class PasswordHasherTests
{
    private static PasswordHasher Hasher(int iterations = 210_000, int concurrency = 2) =>
        new(Options.Create(new SecurityOptions { PasswordIterations = iterations, MaxConcurrentHashes = concurrency }));

    [Fact]
    public void TotoHash_WorkedExampleFromTheProtocol_Verifies()
    {
        Assert.True(TotoPasswordHash.Verify("test", "$p5k2$$abcdefgh$L8MZCZzClh0bqBWcllYPSIxVg1IbUrwT"));
        Assert.False(TotoPasswordHash.Verify("Test", "$p5k2$$abcdefgh$L8MZCZzClh0bqBWcllYPSIxVg1IbUrwT"));
        Assert.False(TotoPasswordHash.Verify("test", "$p5k2$$abcdefgi$L8MZCZzClh0bqBWcllYPSIxVg1IbUrwT"));
    }

    [Theory]
    [InlineData("$p5k2$")]
    [InlineData("$p5k2$$salt")]
    [InlineData("$p5k2$zz$salt$L8MZCZzClh0bqBWcllYPSIxVg1IbUrwT")]
    [InlineData("$p5k2$$abcdefgh$not base64!")]
    public void TotoHash_Malformed_IsRejectedNotThrown(string stored) => Assert.False(TotoPasswordHash.Verify("test", stored));

    [Fact]
    public async Task Hash_IsVersionedSaltedAndVerifies()
    {
        var hasher = Hasher();

        var first = await hasher.HashAsync("secret", "", default);
        var second = await hasher.HashAsync("secret", "", default);

        Assert.StartsWith("$pbkdf2-sha512$210000$", first);
        Assert.NotEqual(first, second);
        Assert.Equal(new PasswordCheck(true, false), await hasher.VerifyAsync("secret", first, "", default));
        Assert.False((await hasher.VerifyAsync("Secret", first, "", default)).Valid);
    }

    [Fact]
    public async Task Verify_HashWithFewerIterationsThanConfigured_AsksForRehash()
    {
        var weak = Hasher(iterations: 210_000);
        var stronger = Hasher(iterations: 250_000);
        var stored = await weak.HashAsync("secret", "", default);

        Assert.Equal(new PasswordCheck(true, true), await stronger.VerifyAsync("secret", stored, "", default));
    }

    [Fact]
    public async Task Verify_TotoHash_IsValidAndAsksForRehash()
    {
        var hasher = Hasher();

        Assert.Equal(new PasswordCheck(true, true), await hasher.VerifyAsync("test", "$p5k2$$abcdefgh$L8MZCZzClh0bqBWcllYPSIxVg1IbUrwT", "", default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("$pbkdf2-sha512$abc$salt$hash")]
    [InlineData("$pbkdf2-sha512$1000$***$***")]
    public async Task Verify_MalformedStoredHash_IsInvalidNotAnError(string stored)
    {
        var hasher = Hasher();

        Assert.False((await hasher.VerifyAsync("x", stored, "", default)).Valid);
    }

    [Fact]
    public async Task Verify_UnknownUser_DoesTheFullWorkAgainstADecoy()
    {
        var hasher = Hasher();
        var before = hasher.Derivations;

        var check = await hasher.VerifyAsync("anything", stored: null, "", default);

        Assert.False(check.Valid);
        // The decoy is hashed once, then verified: the miss costs a full derivation like a wrong password does.
        Assert.True(hasher.Derivations - before >= 1);
        var again = hasher.Derivations;
        await hasher.VerifyAsync("anything", stored: null, "", default);
        Assert.Equal(again + 1, hasher.Derivations);
    }

    [Fact]
    public async Task Hashing_NeverRunsMoreThanTheConfiguredNumberAtOnce()
    {
        var hasher = Hasher(concurrency: 1);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => hasher.HashAsync("p" + i, "", default))));

        Assert.Equal(1, hasher.PeakConcurrency);
    }
}
