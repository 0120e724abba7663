namespace Chat.Tests;

/// <summary>The long form (TesseraServer.CreateBuilder) answers --help and refuses bad options like the one-line host.</summary>
public sealed class ChatOptionsTests
{
    [Fact]
    public async Task Help_IsPrinted_AndTheProcessExitsWithoutServing()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync("Chat", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--database=", output);
        Assert.DoesNotContain("Now listening", output);
    }

    [Theory]
    [InlineData("--session_tll=60", "unknown option --session_tll; did you mean --session_ttl?")]
    [InlineData("--database=oracle", "--database=oracle: no store backend of that name is registered; registered: memory (")]
    public async Task BadOption_StopsStartUpWithOneLine(string argument, string expected)
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync("Chat", argument);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output);
    }
}
