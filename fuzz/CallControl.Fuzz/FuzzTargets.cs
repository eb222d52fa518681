namespace CallControl.Fuzz;

/// <summary>
/// The fuzz targets by name. Each one runs one input through the code under test and lets any exception that
/// code's contract does not allow escape, so that afl-fuzz records the input as a crash; the regression tests
/// (tests/CallControl.Sip.Tests/Fuzz) replay saved inputs through the same targets.
/// </summary>
public static class FuzzTargets
{
    private static readonly Dictionary<string, Action<ReadOnlyMemory<byte>>> ByName = new(StringComparer.Ordinal)
    {
        ["sip"] = SipTarget.Run,
        ["uri"] = UriTarget.Run,
        ["stream"] = StreamTarget.Run,
    };

    /// <summary>The target names, as scripts/fuzz and the corpus folders (fuzz/corpus/NAME) use them.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The target of that name, or null.</summary>
    public static Action<ReadOnlyMemory<byte>>? Find(string name) => ByName.GetValueOrDefault(name);
}
