global using System.Text.Json;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Tessera.Testing;
global using Tessera.Tests.Support;
