namespace CallControl.Benchmarks;

/// <summary>
/// The benchmark messages, read once from ../shared/sip/bench-messages beside the repository root (the
/// folder that holds CallControl.sln). They are never copied into the repo, so every run measures the same bytes.
/// </summary>
internal static class BenchMessages
{
    private static readonly string Folder = Path.Combine(FindSharedRoot(), "sip", "bench-messages");

    public static byte[] Invite { get; } = Read("invite.sip");

    public static byte[] Ok200 { get; } = Read("ok200.sip");

    public static byte[] Register { get; } = Read("register.sip");

    private static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    // BenchmarkDotNet runs the benchmarks from a generated child project deep under bin/, so both the
    // working directory and the assembly's folder are tried.
    private static string FindSharedRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CallControl.sln")))
                {
                    return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared"));
                }
            }
        }

        throw new DirectoryNotFoundException("CallControl.sln not found above " + Environment.CurrentDirectory);
    }
}
