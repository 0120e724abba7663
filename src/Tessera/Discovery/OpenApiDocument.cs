using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tessera.Auth;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Serialization;

namespace Tessera.Discovery;

/// <summary>
/// The service as an OpenAPI 3.1 document (<c>/_tessera/openapi.json</c>), from the same registry and schemas as the
/// OpenRPC one: one operation per method at its URL-style path (POST with the parameters as a JSON object, and GET with
/// query parameters where the method allows it), the Toto answer shape (<c>result</c> or <c>error</c>, HTTP 200), the
/// declared error codes, and security schemes for the session header, the session cookie, API tokens and bearer
/// tokens. Built once, on first request.
/// </summary>
internal sealed class OpenApiDocument
{
    private readonly Lazy<JsonElement> _document;

    public OpenApiDocument(OpenRpcDocument description, TesseraJson json, IOptions<TesseraOptions> options) =>
        _document = new Lazy<JsonElement>(() => JsonSerializer.SerializeToElement(Build(description, json, options.Value), CommonJsonContext.Default.JsonObject));

    public JsonElement Document => _document.Value;

    private static JsonObject Build(OpenRpcDocument description, TesseraJson json, TesseraOptions options)
    {
        var paths = new JsonObject();
        foreach (var method in description.Methods)
        {
            var item = new JsonObject { ["post"] = Operation(method, json, get: false) };
            if (method.AllowsGet)
            {
                item["get"] = Operation(method, json, get: true);
            }

            paths["/" + method.Name.Replace('.', '/')] = item;
        }

        var root = options.Root.TrimEnd('/');
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = description.Name,
                ["version"] = description.Version,
                ["description"] = "Every method is also callable over JSON-RPC 2.0 (/api), XML-RPC (/RPC2) and the WebSocket (/ws); "
                    + "errors answer HTTP 200 with {\"error\": {\"code\", \"value\"}} (docs/errors.md).",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = root.Length == 0 ? "/" : root }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject
                {
                    ["Error"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["code"] = new JsonObject { ["type"] = "integer", ["description"] = "Tessera's code (docs/errors.md) or the method's own." },
                            ["value"] = new JsonObject { ["description"] = "A message, or any JSON value the method gave." },
                        },
                        ["required"] = new JsonArray("code"),
                    },
                    ["Session"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["session_id"] = new JsonObject { ["type"] = "string" },
                            ["expires"] = new JsonObject { ["type"] = "number", ["description"] = "Unix seconds." },
                            ["user_id"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                        },
                    },
                    ["ErrorAnswer"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["error"] = new JsonObject { ["$ref"] = "#/components/schemas/Error" },
                            ["session"] = new JsonObject { ["$ref"] = "#/components/schemas/Session" },
                        },
                        ["required"] = new JsonArray("error"),
                    },
                },
                ["securitySchemes"] = new JsonObject
                {
                    ["session"] = ApiKey("header", "x-toto-session-id", "The session id account.login answered."),
                    ["sessionCookie"] = ApiKey("cookie", "toto-session-id", "The session cookie (with use_cookies on)."),
                    ["apiToken"] = ApiKey("header", "X-Api-Token", "An API token, for methods marked [ApiToken]."),
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT", ["description"] = "An access token from account.token." },
                },
            },
        };
    }

    private static JsonObject Operation(MethodDescriptor method, TesseraJson json, bool get)
    {
        var operation = new JsonObject
        {
            ["operationId"] = get ? method.Name + ".get" : method.Name,
            ["tags"] = new JsonArray(method.Name.Contains('.', StringComparison.Ordinal) ? method.Name[..method.Name.LastIndexOf('.')] : method.Name),
            ["summary"] = method.Name,
        };
        if (method.Description is { } text)
        {
            operation["description"] = text;
        }

        if (get)
        {
            operation["parameters"] = new JsonArray([.. method.WireParameters.Select(parameter => (JsonNode)QueryParameter(parameter, json))]);
        }
        else
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = method.WireParameters.Any(p => !p.IsOptional),
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Parameters(method, json) } },
            };
        }

        operation["responses"] = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = ErrorsText(method),
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject
                    {
                        ["schema"] = new JsonObject
                        {
                            ["oneOf"] = new JsonArray(
                                new JsonObject
                                {
                                    ["type"] = "object",
                                    ["properties"] = new JsonObject
                                    {
                                        ["result"] = MethodSchemas.Result(method, json),
                                        ["session"] = new JsonObject { ["$ref"] = "#/components/schemas/Session" },
                                    },
                                    ["required"] = new JsonArray("result"),
                                },
                                new JsonObject { ["$ref"] = "#/components/schemas/ErrorAnswer" }),
                        },
                    },
                },
            },
            ["4XX"] = new JsonObject
            {
                ["description"] = "The request cannot be read (error 1011): malformed, wrong verb, too large, unsupported Content-Type.",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/ErrorAnswer" } } },
            },
        };
        if (Security(method.Access) is { } security)
        {
            operation["security"] = security;
        }

        operation["x-tessera-access"] = AccessDescription.Describe(method.Access);
        if (method.DeclaredErrors.Count > 0)
        {
            operation["x-tessera-errors"] = new JsonArray([.. method.DeclaredErrors.Select(error =>
                (JsonNode)new JsonObject { ["code"] = error.Code, ["message"] = error.Message })]);
        }

        return operation;
    }

    private static JsonObject Parameters(MethodDescriptor method, TesseraJson json)
    {
        var properties = new JsonObject();
        foreach (var parameter in method.WireParameters)
        {
            var schema = MethodSchemas.Parameter(parameter, json);
            if (parameter.Description is { } about && schema is JsonObject described && !described.ContainsKey("description"))
            {
                described["description"] = about;
            }

            properties[parameter.WireName] = schema;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. method.WireParameters.Where(p => !p.IsOptional).Select(p => (JsonNode)JsonValue.Create(p.WireName)!)]),
        };
    }

    private static JsonObject QueryParameter(ParameterDescriptor parameter, TesseraJson json)
    {
        var entry = new JsonObject
        {
            ["name"] = parameter.WireName,
            ["in"] = "query",
            ["required"] = !parameter.IsOptional,
            ["schema"] = MethodSchemas.Parameter(parameter, json),
        };
        if (parameter.Description is { } about)
        {
            entry["description"] = about;
        }

        return entry;
    }

    /// <summary>Who may call: none for a public method; an empty requirement first where signing in is optional.</summary>
    private static JsonArray? Security(AccessRequirement access)
    {
        if (access.ApiToken)
        {
            return new JsonArray(new JsonObject { ["apiToken"] = new JsonArray() });
        }

        var session = new JsonArray(
            new JsonObject { ["session"] = new JsonArray() },
            new JsonObject { ["sessionCookie"] = new JsonArray() },
            new JsonObject { ["bearer"] = new JsonArray() });
        return access.Session switch
        {
            SessionUse.User => session,
            SessionUse.Optional or SessionUse.Anonymous => new JsonArray([new JsonObject(), .. session.Select(s => s!.DeepClone())]),
            _ => null,
        };
    }

    private static string ErrorsText(MethodDescriptor method) =>
        method.DeclaredErrors.Count == 0
            ? "The result, or an error (HTTP 200, as Toto's clients expect)."
            : "The result, or an error (HTTP 200): " + string.Join("; ", method.DeclaredErrors.Select(e => $"{e.Code} {e.Message}")) + ".";

    private static JsonObject ApiKey(string location, string name, string about) =>
        new() { ["type"] = "apiKey", ["in"] = location, ["name"] = name, ["description"] = about };
}
