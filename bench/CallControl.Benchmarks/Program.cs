using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using CallControl.Benchmarks;
using Perfolizer.Horology;

if (args is ["--profile", var name, var seconds])
{
    ProfileLoop.Run(name, double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

// A short job that is still stable on a shared 2-core machine: one process, a few warm-ups, then enough
// 250 ms iterations for a median that one noisy neighbour cannot move much. Extra arguments (--filter,
// --job, ...) go to BenchmarkDotNet as usual.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithId("Bench").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
        .WithIterationTime(TimeInterval.FromMilliseconds(250)))
    .AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);

BenchmarkSwitcher.FromAssembly(typeof(SipBenchmarks).Assembly).Run(args.Contains("--filter") ? args : [.. args, "--filter", "*"], config);
