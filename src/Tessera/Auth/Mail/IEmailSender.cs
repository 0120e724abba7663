namespace Tessera;

/// <summary>An e-mail Tessera sends on an account's behalf: plain text, one recipient.</summary>
/// <param name="To">The recipient's address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Text">The body, plain text.</param>
public sealed record EmailMessage(string To, string Subject, string Text);

/// <summary>
/// Sends account e-mail (password reset links, address verification). <c>Tessera.Mail</c>'s <c>AddSmtpMail()</c>
/// registers one that speaks SMTP with MailKit; register your own to use a provider's API. Mail is sent off the
/// request path, so a slow or failing mail server never shows in an answer.
/// </summary>
public interface IEmailSender
{
    /// <summary>Sends <paramref name="message"/>; throws when the mail server refuses it.</summary>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
