namespace Tessera;

/// <summary>How the properties of results (and of record and class parameters) are named on the wire.</summary>
public enum ResultNaming
{
    /// <summary><c>first_name</c>: the Toto and gemstone convention, and the default.</summary>
    SnakeCase,

    /// <summary><c>firstName</c>.</summary>
    CamelCase,

    /// <summary><c>FirstName</c>, exactly as declared in C#.</summary>
    AsDeclared,
}
