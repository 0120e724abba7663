using Microsoft.Extensions.Options;

namespace Tessera.Hosting.Explorer;

internal sealed class ExplorerOptionsValidator : IValidateOptions<ExplorerOptions>
{
    public ValidateOptionsResult Validate(string? name, ExplorerOptions options) =>
        options.Explorer.Trim().ToLowerInvariant() is "auto" or "on" or "off"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"--explorer={options.Explorer}: allowed values are auto, on, off.");
}
