using System.Diagnostics;

namespace CallControl.Benchmarks;

/// <summary>
/// "--profile NAME SECONDS": runs one benchmark method in a plain loop, so that dotnet-trace (or perf) can
/// sample it without BenchmarkDotNet's child processes in the way, and prints wall and CPU time per call. Only
/// methods that return an object.
/// </summary>
internal static class ProfileLoop
{
    public static void Run(string name, double seconds)
    {
        var benchmarks = new SipBenchmarks();
        benchmarks.Setup();
        var method = typeof(SipBenchmarks).GetMethod(name) ?? throw new ArgumentException("No benchmark " + name);
        var body = method.CreateDelegate<Func<object>>(benchmarks);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long calls = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 10_000; i++)
            {
                body();
            }

            calls += 10_000;
        }

        // CPU time per call moves less than wall time when other processes share the cores.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"{name}: {calls} calls, {clock.Elapsed.TotalNanoseconds / calls:F0} ns wall, {cpu.TotalNanoseconds / calls:F0} ns CPU each");
    }
}
