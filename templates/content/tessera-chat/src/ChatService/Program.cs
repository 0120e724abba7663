using ChatService;
using Tessera;

// Accounts, a chat topic and a page: http://127.0.0.1:8888/ after dotnet run.
var builder = TesseraServer.CreateBuilder(args);
builder.Services.AddTessera().AddAccounts();
// The page's EventSource cannot send headers, so the session travels in an HttpOnly cookie as well.
builder.Services.Configure<TesseraSessionOptions>(sessions => sessions.UseCookies = true);

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapTessera();
app.Run();

namespace ChatService
{
    /// <summary>The entry point's type, for tests that host the whole service.</summary>
    public partial class Program;
}
