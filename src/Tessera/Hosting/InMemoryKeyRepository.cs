using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Tessera.Hosting;

/// <summary>
/// A Data Protection key ring held by the process alone, for the memory store: what it protects (session cookies,
/// CSRF tokens, one-time links for accounts kept in memory) dies with the process too, so nothing is written to a
/// data folder or to the user's home, and two processes never read each other's keys.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly Lock _gate = new();
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_gate)
        {
            // Copies: the key manager reads what it is given, and a caller must not see a later key half-added.
            return [.. _elements.Select(element => new XElement(element))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        lock (_gate)
        {
            _elements.Add(new XElement(element));
        }
    }
}
