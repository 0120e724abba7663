namespace Tessera.Client;

/// <summary>
/// The wire name of a proxied interface or method, when the conventions do not give it: on an interface, the group
/// (<c>admin.users</c>); on a method, the name within its group (<c>list</c>). <c>tessera generate csharp</c> writes it
/// on everything it generates, so names survive any C# renaming.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method)]
public sealed class RemoteNameAttribute(string name) : Attribute
{
    /// <summary>The name on the wire.</summary>
    public string Name { get; } = name;
}
