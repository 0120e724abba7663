using Microsoft.Extensions.Options;
using Tessera.Errors;

namespace Tessera.Dispatch;

/// <summary>
/// Which methods an HTTP <c>GET</c> or <c>HEAD</c> may call: those marked <c>[Method(AllowGet = true)]</c>, or every
/// method but <c>account.*</c> when <see cref="TesseraOptions.AllowGetForAllMethods"/> is on. Browsers send GETs
/// with the user's cookies on links, images and prefetches from any site, so a GET that changes state is a
/// cross-site request forgery waiting to happen; and a GET's parameters are written to access logs.
/// </summary>
internal sealed class SafeVerbs(MethodRegistry registry, IOptions<TesseraOptions> options)
{
    private const string AccountPrefix = "account.";

    private readonly bool _allowAll = options.Value.AllowGetForAllMethods;

    /// <summary>Account methods carry credentials and change sessions: never by GET, whatever the options say.</summary>
    public static bool NeverByGet(string name) => name.StartsWith(AccountPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The refusal of a GET or HEAD of <paramref name="name"/>, or null when it may run. Unknown names pass, to be
    /// answered "method not found" like any other call.
    /// </summary>
    public MethodError? RefuseGet(string? name)
    {
        if (string.IsNullOrEmpty(name) || !registry.TryGet(name, out var method) || method.AllowsGet
            || (_allowAll && !NeverByGet(name)))
        {
            return null;
        }

        return ErrorTable.Malformed($"'{name}' must be called with POST: GET and HEAD only call methods marked safe.");
    }
}
