namespace CallControl.Grains.Tests;

/// <summary>A folder of the test's own under the system's temporary folder, removed with what it holds.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("callcontrol-journal-").FullName;

    public string[] Files(string pattern = "*") => Directory.Exists(Path) ? Directory.GetFiles(Path, pattern) : [];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
