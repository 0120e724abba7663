namespace Tessera.Dispatch;

/// <summary>
/// Why Tessera's reflection over a service's own code is safe in a trimmed or Native AOT program, for the
/// <c>UnconditionalSuppressMessage</c> attributes that say so. Tessera's build settings (build/Tessera.props) trim only
/// assemblies that declare themselves trimmable when a service is published with <c>PublishAot</c> or
/// <c>PublishTrimmed</c>, so the service's assemblies, where its method classes, parameter types and jobs are, are kept
/// whole; the framework's and Tessera's own are trimmed.
/// </summary>
internal static class TrimmingNotes
{
    public const string ServiceCodeKept =
        "The service's assemblies are kept whole when it is trimmed (TrimMode=partial, set by build/Tessera.props), so " +
        "its method classes, their constructors and parameter types keep every member this reads.";

    public const string ReflectionInvokeUnderAot =
        "Under Native AOT, methods are called through reflection (ReflectedInvoker), which needs no code made at run " +
        "time; expression trees are compiled only where dynamic code is supported.";
}
