using Tessera;

// The PostgreSQL and Redis stores are registered but only used when the configuration asks for them
// (--database=postgres or mysql, --session_store=redis, --events=nats): the same build runs on one machine or many. Likewise SMTP mail for
// password reset links is only sent once --smtp_host and --mail_from are given. HelloJson describes the service's own
// records at build time, which a Native AOT build of it needs.
TesseraServer.Run(args, tessera => tessera
    .AddJsonTypeInfoResolver(HelloService.HelloJson.Default)
    .AddAccounts().AddBson().AddPostgreSql().AddMySql().AddRedis().AddNats().AddSmtpMail());
