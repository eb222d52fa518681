using CallControl.Cli;

// callcontrol migrate | cdr read --consumer NAME [--limit N] | cdr follow --consumer NAME | route ... | subscriber ...
// (System.CommandLine parses; Syntax.cs is the command tree, Commands.cs what each does). The database is
// CallControl:Storage:ConnectionString (environment: CallControl__Storage__ConnectionString) or --connection "...".
// Exit codes: 0 done, 1 failed, 2 usage or configuration.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

return await Commands.RunAsync(args, Console.Out, Console.Error, stop.Token);
