using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tessera.Tests.Support;

public enum Colour
{
    Red,
    DarkBlue,
}

public sealed record Address(string Street, int Number);

public sealed record Person(string FirstName, int Age, Address? Home = null);

public sealed class SignUp
{
    [Required]
    [EmailAddress]
    public string? Email { get; set; }

    [Range(13, 130)]
    public int Age { get; set; }
}

/// <summary>One method per binding rule, each echoing what it received (so each is safe for GET).</summary>
public sealed class Probe
{
    [Method(AllowGet = true)] public int Int(int value) => value;

    [Method(AllowGet = true)] public long Long(long value) => value;

    [Method(AllowGet = true)] public double Double(double value) => value;

    [Method(AllowGet = true)] public decimal Decimal(decimal value) => value;

    [Method(AllowGet = true)] public bool Bool(bool value) => value;

    [Method(AllowGet = true)] public string Text(string value) => value;

    [Method(AllowGet = true)] public Colour Colour(Colour value) => value;

    [Method(AllowGet = true)] public Guid Id(Guid value) => value;

    [Method(AllowGet = true)] public DateTime When(DateTime value) => value;

    [Method(AllowGet = true)] public DateTimeOffset WhenOffset(DateTimeOffset value) => value;

    [Method(AllowGet = true)] public int[] Ints(int[] values) => values;

    [Method(AllowGet = true)] public List<string> Words(List<string> values) => values;

    [Method(AllowGet = true)] public Dictionary<string, int> Map(Dictionary<string, int> values) => values;

    [Method(AllowGet = true)] public Person Echo(Person person) => person;

    [Method(AllowGet = true)] public string Raw(JsonElement value) => value.GetRawText();

    [Method(AllowGet = true)] public string Optional(string name, string greeting = "hi", int times = 2) => $"{greeting} {name} x{times}";

    [Method(AllowGet = true)] public string Maybe(int? count, string? label) => $"{count?.ToString() ?? "none"}/{label ?? "none"}";

    [Method(AllowGet = true)] public string TwoWords(string firstName, int userAge) => $"{firstName}:{userAge}";

    [Method(AllowGet = true)] public string Rules([Range(0, 150)] int age, [StringLength(5)] string code, [RegularExpression("^[a-z]+$")] string slug) =>
        $"{age}{code}{slug}";

    [Method(AllowGet = true)] public string Mail([EmailAddress] string address) => address;

    [Method(AllowGet = true)] public string SignUp(SignUp form) => form.Email!;

    [Method(AllowGet = true)] public string Context(MethodContext context, CancellationToken cancellationToken) =>
        $"{context.MethodName}|{context.Transport}|{context.TransactionId != Guid.Empty}|{cancellationToken.CanBeCanceled}";

    [Method(AllowGet = true)] public string Injected(Clock clock, string name) => $"{name}@{clock.Now}";

    [Method(AllowGet = true)] public string Http(HttpContext http) => http.Request.Path;

    [Method(AllowGet = true)] public async Task<string> UploadAsync(IFormFile file, string label)
    {
        using var reader = new StreamReader(file.OpenReadStream());
        return $"{label}:{file.FileName}:{await reader.ReadToEndAsync()}";
    }
}

/// <summary>A service for injection tests.</summary>
public sealed class Clock
{
    public string Now => "noon";
}

/// <summary>Results of every shape the invoker supports.</summary>
public sealed class Shapes
{
    public static int VoidCalls;

    [Method] public static void Void() => Interlocked.Increment(ref VoidCalls);

    [Method] public static Task TaskOnly() => Task.Delay(1);

    [Method] public static async Task<int> TaskOf() { await Task.Yield(); return 7; }

    [Method] public static ValueTask<string> ValueTaskOf() => ValueTask.FromResult("vt");

    [Method] public static async ValueTask ValueTaskOnly() => await Task.Yield();

    [Method] public static object Anonymous() => new { UserName = "ada", LoginCount = 3 };

    [Method] public static Person Someone() => new("Ada", 36, new Address("Main", 1));

    [Method] public static string Unicode() => "é😀<tag>";

    [Method] public static int Fail() => throw new InvalidOperationException("secret connection string");

    [Method] public static int Refuse() => throw new MethodException(4242, new { reason = "quota", left = 0 });

    [Method] public static object Cycle()
    {
        var node = new Node();
        node.Next = node;
        return node;
    }

    public sealed class Node
    {
        public Node? Next { get; set; }
    }
}
