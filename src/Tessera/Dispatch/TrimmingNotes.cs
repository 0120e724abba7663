namespace Tessera.Dispatch;

/// <summary>
/// Why Tessera's reflection over a service's own code is safe in a trimmed or Native AOT program, for the
/// <c>UnconditionalSuppressMessage</c> attributes that say so. Tessera's build settings (build/Tessera.targets) keep the
/// service's assembly whole when it is published with <c>PublishAot</c> or <c>PublishTrimmed</c>, where its method
/// classes, parameter types and jobs are; classes of other assemblies come through <c>AddType</c>, whose annotation
/// keeps what is read of them. Everything else, the framework and Tessera included, is trimmed.
/// </summary>
internal static class TrimmingNotes
{
    public const string ServiceCodeKept =
        "The service's assembly is kept whole when it is trimmed (a TrimmerRootAssembly set by build/Tessera.targets), " +
        "so its method classes, their constructors and parameter types keep every member this reads.";

    public const string ReflectionInvokeUnderAot =
        "Under Native AOT, methods are called through reflection (ReflectedInvoker), which needs no code made at run " +
        "time; expression trees are compiled only where dynamic code is supported.";
}
