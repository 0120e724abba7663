using Tessera;

// Toto's chat template, done right: accounts, a long-poll method, and a page that follows messages over SSE.
var builder = TesseraServer.CreateBuilder(args);
builder.Services.AddTessera().AddAccounts();
// The page's EventSource cannot send headers, so the session also travels in its HttpOnly cookie.
builder.Services.Configure<TesseraSessionOptions>(sessions => sessions.UseCookies = true);

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapTessera();
app.Run();
