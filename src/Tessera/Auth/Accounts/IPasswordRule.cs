namespace Tessera;

/// <summary>
/// A rule new passwords must follow, beyond the length limits of <see cref="SecurityOptions"/>: register any number as
/// singletons (<c>services.AddSingleton&lt;IPasswordRule, NotInBreachList&gt;()</c>). Each sees the password and the
/// user id it is for, and answers why the password is refused (sent to the client with error 1003) or null.
/// </summary>
public interface IPasswordRule
{
    /// <summary>Why <paramref name="password"/> may not be used by <paramref name="userId"/>, or null when it may.</summary>
    string? Check(string password, string userId);
}
