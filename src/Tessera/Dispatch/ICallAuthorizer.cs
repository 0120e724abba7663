using Tessera.Errors;

namespace Tessera.Dispatch;

/// <summary>
/// Decides whether a call may run, before its parameters are bound: sessions, roles, policies and API tokens. The
/// dispatcher asks it only for methods whose access requirement is not empty.
/// </summary>
internal interface ICallAuthorizer
{
    ValueTask<MethodError?> AuthorizeAsync(MethodDescriptor method, MethodContext context);
}
