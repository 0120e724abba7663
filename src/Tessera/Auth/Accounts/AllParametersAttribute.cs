namespace Tessera;

/// <summary>
/// Gives a <see cref="System.Text.Json.JsonElement"/> parameter every parameter of the call as one JSON object, the way
/// Toto handed methods their whole parameter dictionary.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class AllParametersAttribute : Attribute;
