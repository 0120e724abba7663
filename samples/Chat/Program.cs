using Tessera;

// Toto's chat template, done right: accounts, a long-poll method, and a page that follows messages over SSE.
var builder = TesseraServer.CreateBuilder(args);
// PostgreSQL, MySQL and Redis are registered but only used when the configuration picks them
// (--database=postgres or mysql, --session_store=redis, --events=nats), as in HelloService.
builder.Services.AddTessera().AddAccounts().AddPostgreSql().AddMySql().AddRedis().AddNats();
// The page's EventSource cannot send headers, so the session also travels in its HttpOnly cookie.
builder.Services.Configure<TesseraSessionOptions>(sessions => sessions.UseCookies = true);

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapTessera();
app.Run();
