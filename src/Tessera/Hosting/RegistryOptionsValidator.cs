using Microsoft.Extensions.Options;

namespace Tessera.Hosting;

internal sealed class RegistryOptionsValidator : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        var failures = new List<string>();
        if (options.Registry.Trim().ToLowerInvariant() is not ("on" or "off"))
        {
            failures.Add($"--registry={options.Registry}: allowed values are on, off.");
        }

        if (options.RegistryHeartbeat < 1)
        {
            failures.Add($"registry_heartbeat must be at least 1 (got {options.RegistryHeartbeat}).");
        }

        if (options.AdvertiseUrl.Length > 0 && !(Uri.TryCreate(options.AdvertiseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            failures.Add($"--advertise_url={options.AdvertiseUrl}: give an absolute http:// or https:// URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
