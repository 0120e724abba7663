using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Mail;

namespace Tessera;

/// <summary>Registers SMTP e-mail for Tessera's accounts.</summary>
public static class TesseraMailExtensions
{
    /// <summary>
    /// Sends account e-mail (password reset, address verification) through the SMTP server of <c>--smtp_host</c>,
    /// <c>--smtp_port</c> and <c>--mail_from</c> (section <c>Tessera:Mail</c>), with MailKit.
    /// </summary>
    public static ITesseraBuilder AddSmtpMail(this ITesseraBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IEmailSender, SmtpEmailSender>();
        return builder;
    }
}
