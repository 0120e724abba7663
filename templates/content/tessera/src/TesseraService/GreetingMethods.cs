using System.ComponentModel.DataAnnotations;
using Tessera;

namespace TesseraService;

/// <summary>Callable as <c>greeting.hello</c> and <c>greeting.me</c> on every wire.</summary>
public sealed class GreetingMethods
{
    /// <summary>Greets someone.</summary>
    /// <param name="name">Who to greet, 1 to 100 characters.</param>
    [Method(AllowGet = true)]
    public string Hello([StringLength(100, MinimumLength = 1)] string name) => $"Hello, {name}!";

    /// <summary>The signed-in user's id (create an account with account.create first).</summary>
    [Method]
    [Authenticated]
    public string Me(Account account) => account.UserId;
}
