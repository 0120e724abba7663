using Microsoft.Extensions.Options;

namespace Tessera.Hosting;

internal sealed class HostingOptionsValidator : IValidateOptions<HostingOptions>
{
    public ValidateOptionsResult Validate(string? name, HostingOptions options)
    {
        var problems = new List<string>();
        if (ProxyHeaders.Problem(options.KnownProxies) is { } proxies)
        {
            problems.Add(proxies);
        }

        if (options.Processes < 0)
        {
            problems.Add($"--processes={options.Processes}: give a count of instances, or 0 for one per core.");
        }

        if (options.Start && options.Stop)
        {
            problems.Add("--start and --stop cannot be given together.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
