using System.Net;
using Tessera.Testing;

namespace Tessera.Tests.Wires.Toto;

/// <summary>
/// GET and HEAD only call methods marked safe: a link, an image or a prefetch (which browsers send with the user's
/// cookie from any site) must never create, delete or sign anything, and credentials never travel in a URL.
/// </summary>
public sealed class SafeVerbTests
{
    private static Task<TesseraTestHost> StartAsync(Action<TesseraTestHostOptions>? options = null) =>
        TesseraTestHost.StartAsync(
            t =>
            {
                t.Services.AddSingleton<NoteBook>();
                t.AddAccounts().Methods.AddType<Notes>().AddAssembly(typeof(HelloService.Greeting).Assembly);
            },
            o =>
            {
                o.Configuration["Tessera:Storage:Database"] = "Memory";
                options?.Invoke(o);
            });

    public static TheoryData<string, string> UnsafeUrls => new()
    {
        { "GET", "notes/create?title=x" },
        { "HEAD", "notes/create?title=x" },
        { "GET", "notes.create?title=x" },
        { "HEAD", "notes.create?title=x" },
        { "GET", "notes/create/?title=x" },
    };

    [Theory]
    [MemberData(nameof(UnsafeUrls))]
    public async Task UnsafeMethod_ByGetOrHead_Is405WithAllowPost_AndDoesNotRun(string verb, string url)
    {
        await using var host = await StartAsync();

        using var response = await host.Http.SendAsync(new HttpRequestMessage(new HttpMethod(verb), url.TrimStart('/')));
        var count = await host.Toto.CallAsync("notes.count");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal(0, count.Result.GetInt32());
        if (verb == "GET")
        {
            Assert.Contains("must be called with POST", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task UnsafeMethod_UnderARoot_IsRefusedToo()
    {
        await using var host = await StartAsync(o => o.Configuration["Tessera:Root"] = "/svc");
        host.Toto.Root = "/svc";

        var refused = await host.Toto.GetAsync("notes/create?title=x");
        var count = await host.Toto.CallAsync("notes.count");

        Assert.Equal(405, refused.StatusCode);
        Assert.Equal(1011, refused.ErrorCode);
        Assert.Equal(0, count.Result.GetInt32());
    }

    [Fact]
    public async Task SafeMethods_AnswerGetAndHead_AndPostStillCallsEverything()
    {
        await using var host = await StartAsync();

        var sum = await host.Toto.GetAsync("math/add?a=1&b=2");
        var greeting = await host.Toto.GetAsync("greeting.hello?name=ada");
        using var head = await host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "math/divide?a=1&b=2"));
        var created = await host.Toto.PostJsonAsync("notes/create", """{"title":"x"}""");

        Assert.Equal(3, sum.Result.GetInt32());
        Assert.Equal("hello ada", greeting.Result.GetString());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(1, created.Result.GetInt32());
    }

    [Fact]
    public async Task UnknownMethod_ByGet_IsStillMethodNotFound()
    {
        await using var host = await StartAsync();

        Assert.Equal(1001, (await host.Toto.GetAsync("no/such?x=1")).ErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AccountMethods_AreNeverCalledByGet_SoPasswordsStayOutOfUrls(bool allowGetForAll)
    {
        await using var host = await StartAsync(o => o.Configuration["Tessera:AllowGetForAllMethods"] = allowGetForAll.ToString());
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);

        var login = await host.Toto.Fresh().GetAsync($"account/login?user_id=ada&password={AuthHosts.Password}");
        var create = await host.Toto.Fresh().GetAsync($"account/create?user_id=bob&password={AuthHosts.Password}");
        var bobLogin = await host.Toto.Fresh().LoginAsync("bob", AuthHosts.Password);

        Assert.Equal(405, login.StatusCode);
        Assert.Null(login.Session);
        Assert.Equal(405, create.StatusCode);
        Assert.Equal(1005, bobLogin.ErrorCode);
    }

    [Fact]
    public async Task AllowGetForAllMethods_RestoresTotosGetCalls_ExceptAccounts()
    {
        await using var host = await StartAsync(o => o.Configuration["Tessera:AllowGetForAllMethods"] = "true");

        var created = await host.Toto.GetAsync("notes/create?title=x");

        Assert.Equal(1, created.Result.GetInt32());
        Assert.Equal(1, (await host.Toto.CallAsync("notes.count")).Result.GetInt32());
    }

    [Fact]
    public async Task DiscoveryDocuments_AreSafe()
    {
        await using var host = await StartAsync();

        Assert.Equal(200, (await host.Toto.GetAsync("rpc/discover")).StatusCode);
        Assert.Null((await host.Toto.GetAsync("rpc/discover")).ErrorCode);
    }

    /// <summary>A tiny notes service: creating changes state, so it is POST-only.</summary>
    public sealed class Notes(NoteBook book)
    {
        [Method] public int Create(string title) => book.Add(title);

        [Method] public int Count() => book.Count;
    }

    public sealed class NoteBook
    {
        private readonly List<string> _titles = [];

        public int Count
        {
            get
            {
                lock (_titles)
                {
                    return _titles.Count;
                }
            }
        }

        public int Add(string title)
        {
            lock (_titles)
            {
                _titles.Add(title);
                return _titles.Count;
            }
        }
    }
}
