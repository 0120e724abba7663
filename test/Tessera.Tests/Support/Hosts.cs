using Tessera.Testing;

namespace Tessera.Tests.Support;

/// <summary>Shorthands for starting test services.</summary>
public static class Hosts
{
    public static Task<TesseraTestHost> StartAsync<T>(Action<TesseraTestHostOptions>? options = null) =>
        TesseraTestHost.StartAsync(t => t.Methods.AddType<T>(), options);

    public static Task<TesseraTestHost> StartAsync(Action<ITesseraBuilder> configure, Action<TesseraTestHostOptions>? options = null) =>
        TesseraTestHost.StartAsync(configure, options);

    /// <summary>HelloService's methods with accounts on a memory store, as the sample runs them.</summary>
    public static Task<TesseraTestHost> StartHelloServiceAsync(Action<TesseraTestHostOptions>? options = null) =>
        TesseraTestHost.StartAsync(
            t => t.AddAccounts().AddBson().Methods.AddAssembly(typeof(HelloService.Greeting).Assembly),
            o =>
            {
                o.Configuration["Tessera:Storage:Database"] = "Memory";
                options?.Invoke(o);
            });

    public static Task<TesseraTestHost> StartProbeAsync(Action<TesseraTestHostOptions>? options = null) =>
        TesseraTestHost.StartAsync(
            t =>
            {
                t.Methods.AddType<Probe>();
                t.Services.AddSingleton<Clock>();
            },
            options);
}
