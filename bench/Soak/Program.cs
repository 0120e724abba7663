using Soak;

// The soak and edge driver of bench/soak/run.sh:
//   mixed URL PID MINUTES OUT COMMAND     every wire at once for MINUTES, sampling process PID; report to OUT
//   edges URL IDLE SLOWLORIS LOGINS OUT [report-latency]
//                                         greeting.hello p99 while IDLE + SLOWLORIS connections are held, then LOGINS logins
// Both exit 1 when any answer was wrong or a goal was missed; with report-latency, the p99 goal is reported, not enforced
// (CI's short run on a busy machine checks answers, not timings).
return args switch
{
    ["mixed", var url, var pid, var minutes, var output, var command] =>
        await SoakRun.RunAsync(new Uri(url), int.Parse(pid), double.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture), output, command),
    ["edges", var url, var idle, var slowloris, var logins, var output, .. var rest] =>
        await Edges.RunAsync(new Uri(url), int.Parse(idle), int.Parse(slowloris), int.Parse(logins), output, enforceLatency: !rest.Contains("report-latency")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Soak mixed URL PID MINUTES OUT COMMAND | Soak edges URL IDLE SLOWLORIS LOGINS OUT [report-latency]");
    return 2;
}
