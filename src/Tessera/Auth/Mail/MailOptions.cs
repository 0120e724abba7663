using System.ComponentModel;

namespace Tessera;

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it, else plain.</summary>
    Auto,

    /// <summary>Never encrypted: a mail relay on the same machine or network only.</summary>
    None,

    /// <summary>STARTTLS, required.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,
}

/// <summary>Account e-mail options, in the <c>Tessera:Mail</c> section (cyclone's mail settings).</summary>
public sealed class MailOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Mail";

    /// <summary>The SMTP server; empty means no mail is sent (and password reset is not offered).</summary>
    [Description("SMTP server for account e-mail (password reset, verification); empty sends none.")]
    public string SmtpHost { get; set; } = string.Empty;

    /// <summary>The SMTP port.</summary>
    [Description("SMTP port (587 submission, 465 with smtp_security=Tls, 25 relay).")]
    public int SmtpPort { get; set; } = 587;

    /// <summary>How the connection is secured.</summary>
    [Description("SMTP connection security: Auto, None, StartTls or Tls.")]
    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.Auto;

    /// <summary>The SMTP user, when the server wants one.</summary>
    [Description("SMTP user name, when the server requires authentication.")]
    public string SmtpUser { get; set; } = string.Empty;

    /// <summary>The SMTP password (prefer an environment variable: <c>TESSERA__MAIL__SMTPPASSWORD</c>).</summary>
    [Description("SMTP password (prefer the TESSERA__MAIL__SMTPPASSWORD environment variable).")]
    public string SmtpPassword { get; set; } = string.Empty;

    /// <summary>The sender address of account e-mail.</summary>
    [Description("Sender address of account e-mail, e.g. \"Example <no-reply@example.com>\".")]
    public string MailFrom { get; set; } = string.Empty;

    /// <summary>
    /// The link a password-reset e-mail carries, with <c>{token}</c> where the token goes: the page it opens calls
    /// <c>account.reset_password</c>. Empty: the e-mail carries the token alone. Never built from the request's Host
    /// header, which an attacker chooses.
    /// </summary>
    [Description("Password-reset link with {token}, e.g. https://app.example/reset#token={token}; empty sends the token alone.")]
    public string PasswordResetLink { get; set; } = string.Empty;

    /// <summary>The link an address-verification e-mail carries, with <c>{token}</c>.</summary>
    [Description("Address-verification link with {token}; empty sends the token alone.")]
    public string VerificationLink { get; set; } = string.Empty;

    /// <summary>Minutes a password-reset or verification token stays valid.</summary>
    [Description("Minutes a password-reset or verification token stays valid.")]
    public int TokenMinutes { get; set; } = 30;
}
