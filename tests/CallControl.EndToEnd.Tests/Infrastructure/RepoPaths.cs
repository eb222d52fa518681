namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository, the built node and the sipp scenarios are.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built in (Debug or Release): the node is taken from the same.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string SiloDll => Path.Combine(Root, "src", "Silo", "bin", Configuration, "net10.0", "CallControl.Silo.dll");

    public static string Scenario(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    private static string FindRoot()
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
