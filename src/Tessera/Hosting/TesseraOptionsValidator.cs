using Microsoft.Extensions.Options;

namespace Tessera.Hosting;

/// <summary>Refuses invalid options at start-up, saying which option and what to change.</summary>
internal sealed class TesseraOptionsValidator : IValidateOptions<TesseraOptions>
{
    public ValidateOptionsResult Validate(string? name, TesseraOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"port must be between 0 and 65535 (got {options.Port}).");
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add("host must not be empty; use 127.0.0.1 for local use or 0.0.0.0 for all interfaces.");
        }

        if (string.IsNullOrEmpty(options.Root) || options.Root[0] != '/')
        {
            failures.Add($"root must start with '/' (got '{options.Root}').");
        }

        foreach (var (option, path) in new[] { ("json_rpc_path", options.JsonRpcPath), ("xml_rpc_path", options.XmlRpcPath) })
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Length == 1)
            {
                failures.Add($"{option} must be a path like /api (got '{path}').");
            }
        }

        if (options.MaxRequestBodySize <= 0)
        {
            failures.Add($"max_request_body_size must be positive (got {options.MaxRequestBodySize}).");
        }

        if (options.MaxJsonDepth is < 1 or > 1000)
        {
            failures.Add($"max_json_depth must be between 1 and 1000 (got {options.MaxJsonDepth}).");
        }

        if (options.MaxBatchSize < 1)
        {
            failures.Add($"max_batch_size must be at least 1 (got {options.MaxBatchSize}).");
        }

        if (options.BatchConcurrency < 1)
        {
            failures.Add($"batch_concurrency must be at least 1 (got {options.BatchConcurrency}).");
        }

        if (options.ShutdownTimeoutSeconds < 0)
        {
            failures.Add($"shutdown_timeout_seconds must not be negative (got {options.ShutdownTimeoutSeconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
