using CallControl.Fuzz;

namespace CallControl.Sip.Tests.Fuzz;

/// <summary>
/// Replays saved inputs through the fuzz targets (fuzz/CallControl.Fuzz), so that every crash afl-fuzz found
/// stays fixed and the harness is known to run: the inputs that crashed (Fuzz/Crashes, named TARGET-what.ext,
/// copied to the test output), the repository's seed corpus (fuzz/corpus/TARGET) and the shared messages
/// scripts/fuzz also seeds from (../shared/sip).
/// </summary>
public sealed class FuzzReplayTests
{
    // Where each kind of saved input lives; a test row names an input as "kind/relative path", which xunit shows in full.
    private static readonly (string Kind, string Folder)[] Sources =
    [
        ("crashes", Path.Combine(AppContext.BaseDirectory, "Fuzz", "Crashes")),
        ("corpus", Path.Combine(SharedFiles.RepositoryRoot, "fuzz", "corpus")),
        ("shared", Path.Combine(SharedFiles.Root, "sip")),
    ];

    /// <summary>(target, input) for every saved input.</summary>
    public static TheoryData<string, string> SavedInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (target, input) in AllInputs())
        {
            data.Add(target, input);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SavedInputs))]
    public void A_saved_input_passes_the_fuzz_target_checks(string target, string input)
    {
        var run = FuzzTargets.Find(target);
        Assert.True(run is not null, $"{input}: a saved crash is named after its target: {string.Join(", ", FuzzTargets.Names)}, then '-'");
        run(File.ReadAllBytes(Resolve(input)));
    }

    [Fact]
    public void The_seed_corpus_covers_every_target()
    {
        var targets = AllInputs().Select(input => input.Target).ToHashSet();
        Assert.All(FuzzTargets.Names, name => Assert.Contains(name, targets));
    }

    private static IEnumerable<(string Target, string Input)> AllInputs()
    {
        foreach (var input in Files("crashes", "", "*"))
        {
            yield return (Path.GetFileName(input).Split('-')[0], input);
        }

        foreach (var target in FuzzTargets.Names)
        {
            foreach (var input in Files("corpus", target, "*"))
            {
                yield return (target, input);
            }
        }

        foreach (var input in Files("shared", "rfc4475", "*.dat").Concat(Files("shared", "bench-messages", "*.sip")))
        {
            yield return ("sip", input);
            yield return ("stream", input);
        }
    }

    // The same files scripts/fuzz seeds from, named "kind/sub/file".
    private static IEnumerable<string> Files(string kind, string sub, string pattern)
    {
        var folder = Path.Combine(Folder(kind), sub);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal).Select(file => Path.Combine(kind, sub, Path.GetFileName(file)))
            : [];
    }

    private static string Resolve(string input)
    {
        var slash = input.IndexOf('/', StringComparison.Ordinal);
        return Path.Combine(Folder(input[..slash]), input[(slash + 1)..]);
    }

    private static string Folder(string kind) => Array.Find(Sources, source => source.Kind == kind).Folder;
}
