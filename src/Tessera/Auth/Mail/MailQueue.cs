using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Observability;

namespace Tessera.Auth.Mail;

/// <summary>
/// Sends account e-mail in the background, one at a time, so an answer never waits for (or reveals anything through
/// the timing of) a mail server. A mail that cannot be sent is logged; the user can ask again. Without a registered
/// <see cref="IEmailSender"/> nothing is sent and each dropped mail is logged as a warning.
/// </summary>
internal sealed class MailQueue(IServiceProvider services, ILogger<MailQueue> logger) : BackgroundService
{
    private readonly Channel<EmailMessage> _queue = Channel.CreateBounded<EmailMessage>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly IEmailSender? _sender = services.GetService<IEmailSender>();

    /// <summary>Whether mail can be sent at all.</summary>
    public bool CanSend => _sender is not null;

    public void Enqueue(EmailMessage message)
    {
        if (_sender is null)
        {
            Log.MailNotSent(logger, message.Subject, "no IEmailSender is registered (set --smtp_host and call AddSmtpMail())");
        }
        else if (!_queue.Writer.TryWrite(message))
        {
            Log.MailNotSent(logger, message.Subject, "the mail queue is full");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_sender is null)
        {
            return;
        }

        await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await _sender.SendAsync(message, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.MailFailed(logger, message.Subject, exception);
            }
        }
    }
}
