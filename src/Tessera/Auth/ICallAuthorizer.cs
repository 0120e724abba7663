using Tessera.Errors;

namespace Tessera.Auth;

/// <summary>
/// Decides whether a call may run, before its parameters are bound: sessions, roles, policies and API tokens. The
/// dispatcher asks it only for methods whose access requirement is not empty.
/// </summary>
internal interface ICallAuthorizer
{
    /// <summary>Null when the call may run (having set the context's session and account), else the refusal.</summary>
    ValueTask<MethodError?> AuthorizeAsync(AccessRequirement access, MethodContext context);
}
