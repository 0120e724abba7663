using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;

namespace Tessera.Wires.Http;

/// <summary>
/// Keeps the URL-style call route from shadowing the application's static files: a GET or HEAD whose path names a
/// file in the web root (or a folder with a default document) is left to the static file middleware. Routing runs
/// before that middleware, and a matched endpoint makes it step aside, so without this check <c>/index.html</c>
/// would be answered as a call to a method named <c>index.html</c>. Apps without a web root pay nothing.
/// </summary>
internal sealed class NotAStaticFile(IWebHostEnvironment environment) : IRouteConstraint
{
    private static readonly string[] DefaultDocuments = ["index.html", "index.htm", "default.html", "default.htm"];

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        if (httpContext is null || environment.WebRootFileProvider is NullFileProvider
            || !(HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method)))
        {
            return true;
        }

        var path = httpContext.Request.Path.Value ?? "/";
        var files = environment.WebRootFileProvider;
        if (path.EndsWith('/'))
        {
            return !DefaultDocuments.Any(document => files.GetFileInfo(path + document).Exists);
        }

        var file = files.GetFileInfo(path);
        return !file.Exists || file.IsDirectory;
    }
}
