namespace Tessera.Dispatch.Periodic;

/// <summary>A job as start-up found it: its name, how often it runs and what a run does.</summary>
internal sealed record PeriodicJob(string Name, TimeSpan Period, Func<MethodContext, Task> Run);
