using Spectre.Console.Cli;
using Tessera.Cli;
using Tessera.Cli.Commands;

// tessera: the command line of a Tessera service. Exit codes: 0 success, 1 the method answered an error, 2 the service
// could not be reached or answered something that is not Tessera, 3 the command line itself was wrong.
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("tessera");
    config.SetExceptionHandler((exception, _) => Failures.Report(exception));
    config.AddCommand<MethodsCommand>("methods").WithDescription("List a service's methods: name, parameters, access.")
        .WithExample("methods", "http://127.0.0.1:8888");
    config.AddCommand<DescribeCommand>("describe").WithDescription("Describe one method: parameters and their rules, result, errors, access.")
        .WithExample("describe", "http://127.0.0.1:8888", "math.add");
    config.AddCommand<CallCommand>("call").WithDescription("Call a method with name=value arguments (converted by its schema) or --json.")
        .WithExample("call", "http://127.0.0.1:8888", "math.add", "a=40", "b=2");
    config.AddCommand<BatchCommand>("batch").WithDescription("Send the calls of a JSON file ([{\"method\", \"params\"}, ...]) as one batch.");
    config.AddCommand<LoginCommand>("login").WithDescription("Sign in and keep the session for later commands (a profile only you can read).");
    config.AddCommand<LogoutCommand>("logout").WithDescription("Sign out and forget the kept session.");
    config.AddCommand<EventsCommand>("events").WithDescription("Tail events of some topics; resumes after drops and restarts.")
        .WithExample("events", "http://127.0.0.1:8888", "announcements,user.me.*");
    config.AddCommand<ServicesCommand>("services").WithDescription("List the services and instances registered with a service's registry.");
    config.AddCommand<NewCommand>("new").WithDescription("Create a service and its tests from the Tessera templates (dotnet new tessera).")
        .WithExample("new", "Acme.Orders");
    config.AddBranch("deploy", deploy =>
    {
        deploy.SetDescription("Write deployment files: a systemd unit, an nginx site.");
        deploy.AddCommand<DeploySystemdCommand>("systemd").WithDescription("NAME@.service: one instance per port, Type=notify, a dedicated user, hardened.")
            .WithExample("deploy", "systemd", "hello", "--exec", "/opt/hello/HelloService");
        deploy.AddCommand<DeployNginxCommand>("nginx").WithDescription("NAME.conf: an nginx upstream over the instances, with SSE and WebSocket settings.")
            .WithExample("deploy", "nginx", "hello", "--ports", "8881-8884");
    });
    config.AddBranch("generate", generate =>
    {
        generate.SetDescription("Write a typed client from a running service's description.");
        generate.AddCommand<GenerateCSharpCommand>("csharp").WithDescription("C# interfaces and records for TesseraClient.For<T>().");
        generate.AddCommand<GenerateTypeScriptCommand>("ts").WithDescription("A typed TypeScript client: client.math.add(40, 2).");
    });
});

// Spectre.Console.Cli reads a lone "-" as an option without a name; as an argument it means standard input (batch).
return await app.RunAsync([.. args.Select(arg => arg == "-" ? BatchCommand.StandardInput : arg)]);
