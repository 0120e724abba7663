using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Tessera.Mail;

/// <summary>
/// Sends account e-mail over SMTP with MailKit: one connection per message, secured as <c>smtp_security</c> says,
/// authenticated when <c>smtp_user</c> is set. Messages are few (resets, verifications), so a pooled connection would
/// only add a connection to keep alive.
/// </summary>
internal sealed class SmtpEmailSender(IOptions<MailOptions> options) : IEmailSender
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly MailOptions _options = options.Value;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(_options.MailFrom));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart("plain") { Text = message.Text };

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        await client.ConnectAsync(_options.SmtpHost, _options.SmtpPort, Security(_options.SmtpSecurity), cancellationToken);
        if (_options.SmtpUser.Length > 0)
        {
            await client.AuthenticateAsync(_options.SmtpUser, _options.SmtpPassword, cancellationToken);
        }

        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}
