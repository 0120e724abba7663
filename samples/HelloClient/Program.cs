using HelloService.Contracts;
using Tessera.Client;

// dotnet run --project samples/HelloClient [-- http://127.0.0.1:8888]: calls HelloService through its shared contract.
var address = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:8888");
await using var client = new TesseraClient(address);

IMath math = client.For<IMath>();
Console.WriteLine($"math.add(40, 2) = {await math.Add(40, 2)}");
try
{
    await math.Divide(1, 0);
}
catch (TesseraCallException error)
{
    Console.WriteLine($"math.divide(1, 0) failed with {error.Code}: {error.Message}");
}

Console.WriteLine(await client.For<IGreeting>().Hello("native"));

// A call by name, with parameters built without reflection.
Console.WriteLine($"math.add by name = {await client.CallAsync<int>("math.add", client.CreateParameters().Add("a", 1).Add("b", 2))}");
