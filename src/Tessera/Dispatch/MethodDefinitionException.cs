namespace Tessera.Dispatch;

/// <summary>A method that cannot be served as declared; the registry adds which method it is.</summary>
internal sealed class MethodDefinitionException(string message) : Exception(message);
