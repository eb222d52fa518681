namespace CallControl.Sip.Tests;

/// <summary>Finds the repository root and ../shared (the design files, RFC 4475 messages, bench messages) beside it.</summary>
internal static class SharedFiles
{
    /// <summary>The folder that holds CallControl.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Root { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CallControl.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("CallControl.sln not found above " + AppContext.BaseDirectory);
    }
}
