using System.Text;

namespace Tessera.Cli.Deploy;

/// <summary>
/// An nginx site for N instances on sequential ports: least-connections balancing with passive health checks (an
/// instance that fails or answers 502/503/504 is skipped for a while), WebSocket upgrades, Server-Sent Events and
/// long-poll unbuffered, the forwarded headers <c>--behind_proxy</c> reads, and the metrics endpoint kept off the public
/// side. With a certificate it serves HTTPS and redirects HTTP.
/// </summary>
internal static class NginxConfigWriter
{
    public static string Write(string name, int firstPort, int lastPort, string serverName, string listen, string? certificate, string? key, string root)
    {
        var upstream = Identifier(name);
        var servers = new StringBuilder();
        for (var port = firstPort; port <= lastPort; port++)
        {
            servers.Append($"    server 127.0.0.1:{port} max_fails=3 fail_timeout=5s;\n");
        }

        var prefix = root.TrimEnd('/');
        var tls = certificate is null ? string.Empty : $"""
                ssl_certificate     {certificate};
                ssl_certificate_key {key};
                ssl_protocols       TLSv1.2 TLSv1.3;

            """;
        var listenLine = certificate is null ? $"listen {listen};" : $"listen {listen} ssl;";
        var redirect = certificate is null ? string.Empty : $$"""

            server {
                listen 80;
                server_name {{serverName}};
                return 301 https://$host$request_uri;
            }
            """;
        return $$"""
            # {{name}}: Tessera instances on ports {{firstPort}}-{{lastPort}} behind nginx. Written by `tessera deploy nginx`.
            # Install: copy to /etc/nginx/conf.d/{{name}}.conf, then: nginx -t && systemctl reload nginx
            # Start the instances with --behind_proxy (client address, scheme and host from X-Forwarded-*), and share
            # one database between them (--database=postgres or mysql): any instance then serves any request.
            # Readiness: /_tessera/ready answers 503 while an instance cannot reach its stores; nginx (open source)
            # checks passively, so an instance that fails or answers 502/503/504 is skipped for fail_timeout.

            upstream {{upstream}} {
                least_conn;
            {{servers}}    keepalive 32;
            }

            # WebSocket upgrades pass through; other requests keep the upstream connection alive.
            map $http_upgrade ${{upstream}}_connection {
                default upgrade;
                ''      '';
            }

            server {
                {{listenLine}}
                server_name {{serverName}};
            {{tls}}
                # Tessera refuses bodies over max_request_body_size (1 MiB by default) with a clear 413 of its own.
                client_max_body_size 2m;

            {{Location(upstream, "/", $"proxy_set_header Connection ${upstream}_connection;",
                    "# A request that never reached an instance goes to the next; one that did is not sent twice.",
                    "proxy_next_upstream error timeout http_502 http_503 http_504;",
                    "proxy_next_upstream_tries 2;")}}

                # Server-Sent Events and long-poll: each event at once, quiet streams kept open.
            {{Location(upstream, prefix + "/events", "proxy_set_header Connection '';", "proxy_buffering off;", "proxy_cache off;", "proxy_read_timeout 1h;")}}

            {{Location(upstream, prefix + "/ws", "proxy_set_header Upgrade $http_upgrade;", $"proxy_set_header Connection ${upstream}_connection;", "proxy_read_timeout 1h;")}}

                # Metrics are for the monitoring host, not the internet: scrape an instance's port directly.
                location = {{prefix}}/_tessera/metrics {
                    return 404;
                }
            }
            {{redirect}}
            """;
    }

    /// <summary>A location proxied to the upstream with the forwarded headers <c>--behind_proxy</c> reads, plus its own lines.</summary>
    private static string Location(string upstream, string path, params string[] lines) => string.Join('\n',
    [
        $"    location {path} {{",
        $"        proxy_pass http://{upstream};",
        "        proxy_http_version 1.1;",
        "        proxy_set_header Host $host;",
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "        proxy_set_header X-Forwarded-Proto $scheme;",
        "        proxy_set_header X-Forwarded-Host $host;",
        .. lines.Select(line => "        " + line),
        "    }",
    ]);

    private static string Identifier(string name) =>
        new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
