using Microsoft.AspNetCore.Authorization;

namespace Tessera.Tests.Support;

/// <summary>One method per access rule.</summary>
public sealed class Secure
{
    [Method, Authenticated] public string WhoAmI(MethodContext context) => context.Account!.UserId;

    [Method, Authenticated] public string Nickname(Account account) => account.Field<string>("nickname") ?? "none";

    [Method, AnonymousSession] public string Visit(Session session) => session.IsAuthenticated ? "user" : "anonymous";

    [Method, OptionallyAuthenticated] public string Maybe(MethodContext context) => context.Account?.UserId ?? "nobody";

    [Method] public string Plain(MethodContext context) => context.Session is null ? "no session" : "session";

    [Method, RequiresRole("staff")] public string StaffOnly() => "staff";

    [Method, RequiresRole("admin", "owner")] public string AdminOrOwner() => "ok";

    [Method, Authorize(Policy = "adults")] public string AdultsOnly() => "adult";

    [Method, ApiToken] public string Private() => "private";

    [Method, Authenticated] public int Fail() => throw new MethodException(4001, "nope");

    [Method, Authenticated] public async Task<int> Put(Session session, string key, int value)
    {
        session.Set(key, value);
        await session.SaveAsync();
        return value;
    }

    [Method(AllowGet = true), Authenticated] public int Read(Session session, string key) => session.Get<int>(key);

    [Method, Authenticated] public async Task<int> Increment(Session session)
    {
        var count = 0;
        await session.UpdateAsync(s =>
        {
            count = s.Get<int>("count") + 1;
            s.Set("count", count);
        });
        return count;
    }

    /// <summary>Both callers read the session, wait for each other, then save: one of them must lose.</summary>
    public static readonly Barrier BothHaveRead = new(2);

    [Method, Authenticated] public async Task<int> RacePut(Session session, int value)
    {
        session.Set("race", value);
        await Task.Run(() => BothHaveRead.SignalAndWait(TimeSpan.FromSeconds(10)));
        await session.SaveAsync();
        return value;
    }
}

public static class AuthHosts
{
    public const string Password = "CorrectHorse!Battery7";

    /// <summary>Accounts, <see cref="Secure"/>'s methods and the "adults" policy they name.</summary>
    public static ITesseraBuilder AddSecure(ITesseraBuilder tessera)
    {
        tessera.AddAccounts().Methods.AddType<Secure>();
        tessera.Services.AddAuthorization(o => o.AddPolicy("adults", p => p.RequireAssertion(
            c => (c.Resource as MethodContext)?.Account?.Field<int>("age") >= 18)));
        return tessera;
    }

    /// <summary>A service with accounts, <see cref="Secure"/>, and an "adults" policy, on the given store.</summary>
    public static Task<TesseraTestHost> StartAsync(
        Action<TesseraTestHostOptions>? options = null,
        string database = "Memory",
        Action<ITesseraBuilder>? configure = null) =>
        TesseraTestHost.StartAsync(
            t =>
            {
                AddSecure(t);
                configure?.Invoke(t);
            },
            o =>
            {
                o.Configuration["Tessera:Storage:Database"] = database;
                options?.Invoke(o);
            });
}
