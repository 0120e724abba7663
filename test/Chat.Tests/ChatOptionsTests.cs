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

    [Fact]
    public async Task MisspelledOption_StopsStartUpWithOneLine()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync("Chat", "--session_tll=60");

        Assert.Equal(2, exitCode);
        Assert.Contains("unknown option --session_tll; did you mean --session_ttl?", output);
        Assert.DoesNotContain("   at ", output);
    }
}
