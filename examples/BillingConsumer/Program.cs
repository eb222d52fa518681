using System.Globalization;
using CallControl.Storage;

// An example billing consumer: follows the CDR log under its own checkpoint and keeps billable seconds per
// caller. `--once` reads what is unread, prints the totals and exits; without it, it follows until Ctrl+C.
//   CallControl__Storage__ConnectionString=... dotnet run --project examples/BillingConsumer -- [--consumer NAME] [--once]
var consumer = args.SkipWhile(a => a != "--consumer").Skip(1).FirstOrDefault() ?? "billing-example";
var once = args.Contains("--once");
var connection = Environment.GetEnvironmentVariable("CallControl__Storage__ConnectionString");
if (string.IsNullOrWhiteSpace(connection))
{
    Console.Error.WriteLine("Configuration error: set CallControl__Storage__ConnectionString to the cluster's database.");
    return 2;
}

await using var dataSource = PostgresDataSource.Create(connection);
var log = new CdrLog(dataSource);
var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

if (once)
{
    for (var position = await log.CheckpointAsync(consumer, stop.Token); ;)
    {
        var batch = await log.ReadAsync(position, 1000, stop.Token);
        if (batch.Count == 0)
        {
            break;
        }

        foreach (var entry in batch)
        {
            Add(entry);
        }

        position = batch[^1].Position;
        await log.CommitAsync(consumer, position, stop.Token); // after counting: each CDR is counted at least once
    }

    Print();
    return 0;
}

try
{
    await foreach (var entry in log.FollowAsync(consumer, TimeSpan.FromSeconds(5), stop.Token))
    {
        Add(entry);
        Print();
    }
}
catch (OperationCanceledException)
{
    // Ctrl+C.
}

return 0;

void Add(CdrEntry entry) => totals[entry.Record.Caller] = totals.GetValueOrDefault(entry.Record.Caller) + entry.Record.BillableSeconds;

void Print()
{
    foreach (var (caller, seconds) in totals)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{caller}\t{seconds}"));
    }
}
