namespace Tessera.Cli.Deploy;

/// <summary>
/// A systemd template unit, <c>NAME@.service</c>: <c>systemctl enable --now NAME@8881 NAME@8882</c> runs one instance per
/// port (the instance name is the port). <c>Type=notify</c>: systemd counts an instance started once it said READY=1
/// (TesseraServer does, through Microsoft.Extensions.Hosting.Systemd), and SIGTERM is a graceful stop.
/// </summary>
internal static class SystemdUnitWriter
{
    public static string Write(string name, string execStart, string user, string workingDirectory, string dataDirectory) => $"""
        # {name}@.service: one instance of {name} per port. Written by `tessera deploy systemd`.
        # Install: copy to /etc/systemd/system/, then
        #   useradd --system --no-create-home --shell /usr/sbin/nologin {user}
        #   install -d -o {user} -g {user} -m 0700 {dataDirectory}
        #   systemctl daemon-reload && systemctl enable --now {name}@8881 {name}@8882
        # Every instance reads the same tessera.json and shares {dataDirectory} (SQLite file, keys); with several
        # instances use --database=postgres or mysql in tessera.json so they share one database.

        [Unit]
        Description={name} (Tessera service) on port %i
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=notify
        User={user}
        Group={user}
        WorkingDirectory={workingDirectory}
        ExecStart={execStart} --port=%i --data_dir={dataDirectory}
        Environment=DOTNET_ENVIRONMENT=Production
        Environment=DOTNET_NOLOGO=1
        # Calls in flight finish on SIGTERM (shutdown_timeout_seconds, 30 by default), then systemd kills.
        KillSignal=SIGTERM
        TimeoutStopSec=45
        Restart=on-failure
        RestartSec=2

        # Hardening: the service sees the system read-only and writes only its data directory.
        NoNewPrivileges=true
        ProtectSystem=strict
        ProtectHome=true
        PrivateTmp=true
        PrivateDevices=true
        ProtectKernelTunables=true
        ProtectKernelModules=true
        ProtectControlGroups=true
        RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
        RestrictNamespaces=true
        LockPersonality=true
        RestrictRealtime=true
        SystemCallArchitectures=native
        CapabilityBoundingSet=
        ReadWritePaths={dataDirectory}

        [Install]
        WantedBy=multi-user.target

        """;
}
