using CallControl.Fuzz;
using SharpFuzz;

// Usage: dotnet CallControl.Fuzz.dll <sip|uri|stream>. Under afl-fuzz (scripts/fuzz) SharpFuzz's out-of-process
// fork server runs the target once per input; run alone, it runs the target once on standard input.
if (args.Length != 1 || FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"usage: CallControl.Fuzz <{string.Join('|', FuzzTargets.Names)}>   (one input on standard input)");
    return 2;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    // The stream is SharpFuzz's and must stay open; the targets take the input as one buffer, as a transport would.
    using var input = new MemoryStream();
    stream.CopyTo(input);
    target(input.GetBuffer().AsMemory(0, (int)input.Length));
});
return 0;
