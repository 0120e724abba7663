using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera events URL TOPICS</c>: a live tail, one line per event, resuming after drops and restarts.</summary>
internal sealed class EventsCommand : AsyncCommand<EventsCommand.Settings>
{
    public sealed class Settings : ServiceSettings
    {
        [CommandArgument(1, "<TOPICS>")]
        [Description("Comma-separated topic patterns, e.g. chat.*,news,user.me.*")]
        public string Topics { get; init; } = "";

        [CommandOption("--last-event-id <ID>")]
        [Description("Start after this event id (the log replays what followed it).")]
        public long? LastEventId { get; init; }

        [CommandOption("--count <N>")]
        [Description("Stop after N events.")]
        public int? Count { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await using var client = settings.Client();
        var seen = 0;
        try
        {
            await foreach (var published in client.Events.SubscribeAsync(settings.Topics, settings.LastEventId, stop.Token))
            {
                if (settings.Json)
                {
                    Console.WriteLine($"{{\"id\":{published.Id},\"topic\":{JsonSerializer.Serialize(published.Topic, CliJson.Default.String)},\"data\":{published.Data.GetRawText()}}}");
                }
                else if (Terminal.IsInteractive)
                {
                    AnsiConsole.MarkupLine($"[grey]{published.Id}[/] [green]{Markup.Escape(published.Topic)}[/] {Markup.Escape(published.Data.GetRawText())}");
                }
                else
                {
                    Console.WriteLine($"{published.Id}\t{published.Topic}\t{published.Data.GetRawText()}");
                }

                if (++seen == settings.Count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C ends the tail normally.
        }

        return 0;
    }
}
