using System.Collections.Frozen;

namespace Tessera.Dispatch;

/// <summary>The dispatch table: every callable method by wire name. Built once at start-up, never changed.</summary>
internal sealed class MethodRegistry(FrozenDictionary<string, MethodDescriptor> methods)
{
    public int Count => methods.Count;

    public IEnumerable<MethodDescriptor> Methods => methods.Values;

    public bool TryGet(string name, out MethodDescriptor method) => methods.TryGetValue(name, out method!);
}
