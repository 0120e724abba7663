using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Tessera;

namespace Tessera.Benchmarks;

/// <summary>A Tessera service without a server: HTTP exchanges are DefaultHttpContexts over memory streams.</summary>
internal static class Harness
{
    public static IServiceProvider Services(Action<ITesseraBuilder>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.ClearProviders());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Production", ContentRootPath = Path.GetTempPath() });
        services.AddSingleton<IHostApplicationLifetime, ApplicationLifetime>();
        services.AddSingleton<IConfiguration>(
            new ConfigurationBuilder()
                .AddInMemoryCollection(settings ?? new Dictionary<string, string?> { ["Tessera:Storage:Database"] = "Memory" })
                .Build());
        var tessera = services.AddTessera();
        tessera.Methods.ScanEntryAssembly = false;
        tessera.Methods.Add("greeting.hello", (string name) => $"hello {name}");
        configure?.Invoke(tessera);
        return services.BuildServiceProvider();
    }

    public static DefaultHttpContext Post(IServiceProvider services, string path, string body, string contentType = "application/json")
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = "POST";
        http.Request.Path = path;
        http.Request.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        http.Request.Body = new MemoryStream(bytes, writable: false);
        // Kestrel serves Request.Body and Request.BodyReader natively; without this, DefaultHttpContext wraps the stream
        // in a StreamPipeReader (with its segments and a cancellation source: about 370 bytes no server allocates).
        http.Features.Set<IRequestBodyPipeFeature>(new BodyPipe(PipeReader.Create(new ReadOnlySequence<byte>(bytes))));
        http.Request.ContentLength = bytes.Length;
        http.Response.Body = new MemoryStream();
        return http;
    }

    /// <summary>A URL-style call as routing hands it to the Toto endpoint: the method's path as the route value.</summary>
    public static DefaultHttpContext Get(IServiceProvider services, string path, string query)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = "GET";
        http.Request.Path = "/" + path;
        http.Request.QueryString = new QueryString(query);
        http.Request.RouteValues["path"] = path;
        http.Response.Body = new MemoryStream();
        return http;
    }

    public static string Hello(string name) => $"hello {name}";

    private sealed class BodyPipe(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }
}
