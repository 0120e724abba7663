using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Tessera.Errors;

namespace Tessera.Auth.Accounts;

/// <summary>
/// What a new user id and a new password must be (<see cref="SecurityOptions"/> and any <see cref="IPasswordRule"/>).
/// It applies where an id or password is chosen, never to sign-in: accounts imported from Toto under older rules keep
/// working. Refusals say exactly what is wrong: 1010 for a user id, 1003 for a password.
/// </summary>
internal sealed class AccountPolicy
{
    /// <summary>The longest id any lookup considers (an e-mail address's maximum).</summary>
    public const int MaxStoredUserIdLength = 254;

    private readonly SecurityOptions _options;
    private readonly Regex _userIdPattern;
    private readonly IPasswordRule[] _rules;

    public AccountPolicy(IOptions<SecurityOptions> options, IEnumerable<IPasswordRule> rules)
    {
        _options = options.Value;
        _userIdPattern = new Regex(_options.UserIdPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        _rules = [.. rules];
    }

    /// <summary>How every id is compared: trimmed and lower-cased; null when it cannot be anyone's id.</summary>
    public static string? Normalize(string? userId)
    {
        var id = userId?.Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(id) || id.Length > MaxStoredUserIdLength || HasControlCharacter(id) ? null : id;
    }

    // Every authenticated call normalizes its user id: a plain loop, where LINQ over a string boxes an enumerator.
    private static bool HasControlCharacter(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The normalized form of a user id chosen for a new account; throws 1010 saying what is wrong.</summary>
    public string RequireNewUserId(string? userId)
    {
        var id = userId?.Trim().ToLowerInvariant() ?? string.Empty;
        var problem = id.Length == 0 ? "the user id must not be empty"
            : id.Length > _options.UserIdMaxLength ? $"the user id must be at most {_options.UserIdMaxLength} characters"
            : !IsVisibleText(id) ? "the user id must not contain control or invisible characters"
            : _options.UserIdIsEmail && !IsEmail(id) ? "the user id must be an e-mail address"
            : !_userIdPattern.IsMatch(id) ? "the user id may only contain letters, digits and . _ @ + - (starting with a letter or digit)"
            : null;
        return problem is null ? id : throw new MethodException(ErrorCodes.InvalidUserId, $"Invalid user ID: {problem}.");
    }

    /// <summary>Throws 1003 naming the parameter when <paramref name="password"/> may not be used.</summary>
    public void RequireNewPassword(string? password, string userId, string parameter)
    {
        var length = password is null ? 0 : new StringInfo(password).LengthInTextElements;
        var problem = string.IsNullOrEmpty(password) ? "must not be empty"
            : length < _options.PasswordMinLength ? $"must be at least {_options.PasswordMinLength} characters"
            : length > _options.PasswordMaxLength ? $"must be at most {_options.PasswordMaxLength} characters"
            : _rules.Select(rule => rule.Check(password, userId)).FirstOrDefault(p => p is not null);
        if (problem is not null)
        {
            var error = ErrorTable.InvalidParameters([$"'{parameter}' {problem}"]);
            throw new MethodException(error.Code, error.Value);
        }
    }

    /// <summary>No control or format (zero-width) characters and no unpaired surrogates.</summary>
    private static bool IsVisibleText(string id)
    {
        for (var i = 0; i < id.Length; i++)
        {
            if (char.IsHighSurrogate(id[i]) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(id[i]) || char.IsControl(id[i]) || char.GetUnicodeCategory(id[i]) == UnicodeCategory.Format)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEmail(string id) =>
        MailAddress.TryCreate(id, out var address) && address.Address == id && address.DisplayName.Length == 0
        && address.Host.Contains('.', StringComparison.Ordinal);
}
