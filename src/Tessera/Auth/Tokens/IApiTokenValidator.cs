namespace Tessera;

/// <summary>Decides whether an API token may call <c>[ApiToken]</c> methods. Replace it to look tokens up elsewhere.</summary>
public interface IApiTokenValidator
{
    /// <summary>True when <paramref name="token"/> is valid for the call.</summary>
    ValueTask<bool> ValidateAsync(string token, MethodContext context);
}
