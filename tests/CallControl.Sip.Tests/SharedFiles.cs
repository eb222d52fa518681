namespace CallControl.Sip.Tests;

/// <summary>Finds ../shared (the design files, RFC 4475 messages, bench messages) from the repository root.</summary>
internal static class SharedFiles
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CallControl.sln")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared"));
            }
        }

        throw new DirectoryNotFoundException("CallControl.sln not found above " + AppContext.BaseDirectory);
    }
}
