using Microsoft.Extensions.Options;

namespace Tessera.Hosting;

/// <summary>
/// Refuses storage options that cannot work: a backend name no package registered (listing the registered ones), a
/// backend that cannot keep what it is asked to, a server database without a connection string.
/// </summary>
internal sealed class StorageOptionsValidator(IEnumerable<StoreBackend> backends) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        var registered = backends.GroupBy(b => b.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var database = StoreSelection.Normalize(options.Database);
        var sessions = StoreSelection.Normalize(options.SessionStore);
        Check("database", database, StoreRoles.Database, registered, failures);
        if (sessions is not (StoreSelection.SameAsDatabase or ""))
        {
            Check("session_store", sessions, StoreRoles.Sessions, registered, failures);
        }

        var events = StoreSelection.Normalize(options.Events);
        if (events is not (StoreSelection.SameAsSessions or ""))
        {
            Check("events", events, StoreRoles.Events, registered, failures);
        }

        if (registered.ContainsKey(database) && database is not (StoreSelection.Memory or StoreSelection.Sqlite)
            && string.IsNullOrWhiteSpace(options.DbConnection))
        {
            failures.Add($"--database={database} needs --db_connection, the backend's connection string (e.g. \"Host=db;Database=app;Username=app;Password=...\" for postgres).");
        }

        if (options.StoreTimeout < 1)
        {
            failures.Add($"store_timeout must be at least 1 second (got {options.StoreTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string option, string value, StoreRoles role, Dictionary<string, StoreBackend> registered, List<string> failures)
    {
        if (!registered.TryGetValue(value, out var backend))
        {
            var known = string.Join(", ", registered.Values
                .Where(b => b.Roles.HasFlag(role) || (role == StoreRoles.Events && b.Roles.HasFlag(StoreRoles.Sessions)))
                .Select(b => $"{b.Name} ({b.Description})"));
            failures.Add($"--{option}={value}: no store backend of that name is registered; registered: {known}. " +
                "A backend comes with its package: reference it and call its Add method on the Tessera builder (AddPostgreSql(), AddRedis()).");
        }
        else if (!backend.Roles.HasFlag(role) && !(role == StoreRoles.Events && backend.Roles.HasFlag(StoreRoles.Sessions)))
        {
            var what = role switch { StoreRoles.Database => "accounts", StoreRoles.Sessions => "sessions", _ => "the event log" };
            failures.Add($"--{option}={value}: {backend.Description} cannot keep {what}.");
        }
    }
}

/// <summary>Refuses session lifetimes that cannot work.</summary>
internal sealed class SessionOptionsValidator : IValidateOptions<TesseraSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, TesseraSessionOptions options)
    {
        var failures = new List<string>();
        if (options.SessionTtl < 1)
        {
            failures.Add($"session_ttl must be at least 1 second (got {options.SessionTtl}).");
        }

        if (options.AnonSessionTtl < 1)
        {
            failures.Add($"anon_session_ttl must be at least 1 second (got {options.AnonSessionTtl}).");
        }

        if (options.SessionMaxLifetime < 1)
        {
            failures.Add($"session_max_lifetime must be at least 1 second (got {options.SessionMaxLifetime}).");
        }

        if (options.SessionCleanupInterval < 1)
        {
            failures.Add($"session_cleanup_interval must be at least 1 second (got {options.SessionCleanupInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Refuses weak password settings and malformed token hashes.</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public const int MinimumIterations = 210_000;

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        if (options.PasswordIterations < MinimumIterations)
        {
            failures.Add($"password_iterations must be at least {MinimumIterations} (got {options.PasswordIterations}).");
        }

        if (options.MaxConcurrentHashes < 1)
        {
            failures.Add($"max_concurrent_hashes must be at least 1 (got {options.MaxConcurrentHashes}).");
        }

        if (options.MaxQueuedHashesPerClient < 1)
        {
            failures.Add($"max_queued_hashes_per_client must be at least 1 (got {options.MaxQueuedHashesPerClient}).");
        }

        if (options.SignatureWindow < 1)
        {
            failures.Add($"signature_window must be at least 1 second (got {options.SignatureWindow}).");
        }

        if (options.PasswordMinLength < 1 || options.PasswordMaxLength < 64 || options.PasswordMaxLength < options.PasswordMinLength)
        {
            failures.Add($"password_min_length must be at least 1 and password_max_length at least 64 and not below it (got {options.PasswordMinLength} and {options.PasswordMaxLength}).");
        }

        if (options.UserIdMaxLength is < 1 or > Auth.Accounts.AccountPolicy.MaxStoredUserIdLength)
        {
            failures.Add($"user_id_max_length must be between 1 and {Auth.Accounts.AccountPolicy.MaxStoredUserIdLength} (got {options.UserIdMaxLength}).");
        }

        try
        {
            _ = new System.Text.RegularExpressions.Regex(options.UserIdPattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException exception)
        {
            failures.Add($"user_id_pattern is not a valid regular expression: {exception.Message}");
        }

        if (options.JwtAlgorithm == JwtAlgorithm.HS256 && options.JwtKey.Length > 0
            && (!Convert.TryFromBase64String(options.JwtKey, new byte[options.JwtKey.Length], out var keyBytes) || keyBytes < 32))
        {
            failures.Add("jwt_key must be base64 of at least 32 random bytes (openssl rand -base64 32).");
        }

        if (options.JwtAlgorithm != JwtAlgorithm.HS256 && !File.Exists(options.JwtKeyFile))
        {
            failures.Add($"jwt_algorithm={options.JwtAlgorithm} needs jwt_key_file, a PEM private key file (got '{options.JwtKeyFile}').");
        }

        if (options.AccessTokenSeconds < 1 || options.RefreshTokenSeconds < options.AccessTokenSeconds)
        {
            failures.Add($"access_token_seconds must be at least 1 and refresh_token_seconds no shorter (got {options.AccessTokenSeconds} and {options.RefreshTokenSeconds}).");
        }

        var malformed = options.ApiTokenHashes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(hash => hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            .ToList();
        if (malformed.Count > 0)
        {
            failures.Add("api_token_hashes must list SHA-256 hashes as 64 hex characters, separated by commas.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Refuses event settings that cannot work.</summary>
internal sealed class EventOptionsValidator : IValidateOptions<EventOptions>
{
    public ValidateOptionsResult Validate(string? name, EventOptions options)
    {
        var failures = new List<string>();
        Positive(failures, "event_poll_interval", options.EventPollInterval);
        Positive(failures, "event_log_max_count", options.EventLogMaxCount);
        Positive(failures, "event_log_max_age", options.EventLogMaxAge);
        Positive(failures, "event_queue_capacity", options.EventQueueCapacity);
        Positive(failures, "event_heartbeat", options.EventHeartbeat);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string name, int value)
    {
        if (value < 1)
        {
            failures.Add($"{name} must be at least 1 (got {value}).");
        }
    }
}


/// <summary>Refuses rate-limit policies that cannot work.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = options
            .Where(p => p.Value.PermitLimit < 1 || p.Value.Window < 1)
            .Select(p => $"rate limit '{p.Key}' needs PermitLimit and Window of at least 1 (got {p.Value.PermitLimit} per {p.Value.Window} s).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Refuses mail settings that cannot work, and links an attacker could bend.</summary>
internal sealed class MailOptionsValidator(Microsoft.Extensions.DependencyInjection.IServiceProviderIsService services) : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var failures = new List<string>();
        if (options.SmtpHost.Length > 0 && !services.IsService(typeof(IEmailSender)))
        {
            failures.Add("--smtp_host is set but nothing sends mail: reference the Tessera.Mail package and call AddSmtpMail() on the Tessera builder.");
        }

        if (options.SmtpHost.Length > 0 && !System.Net.Mail.MailAddress.TryCreate(options.MailFrom, out _))
        {
            failures.Add($"--smtp_host is set, so --mail_from needs a sender address (got '{options.MailFrom}').");
        }

        if (options.SmtpPort is < 1 or > 65535)
        {
            failures.Add($"smtp_port must be a TCP port (got {options.SmtpPort}).");
        }

        if (options.TokenMinutes < 1)
        {
            failures.Add($"token_minutes must be at least 1 (got {options.TokenMinutes}).");
        }

        foreach (var (option, link) in new[] { ("password_reset_link", options.PasswordResetLink), ("verification_link", options.VerificationLink) })
        {
            if (link.Length > 0 && (!link.Contains("{token}", StringComparison.Ordinal)
                || !Uri.TryCreate(link.Replace("{token}", "t", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("https" or "http")))
            {
                failures.Add($"{option} must be an absolute http(s) URL containing {{token}} (got '{link}').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
