using System.Runtime.InteropServices;
using System.Text;

namespace CallControl.Silo.Cdr;

/// <summary>
/// fsync of a folder, so a file just created or renamed in it survives a power cut or a kernel crash (a rename is
/// only durable once its directory is; POSIX leaves the order to the file system). .NET opens no folder as a file,
/// hence libc. On Windows there is nothing to do: NTFS journals its metadata.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY: a folder opens read-only without O_DIRECTORY, whose value differs by CPU

    /// <summary>Flushes the folder's entries to disk; throws <see cref="IOException"/> when the system refuses.</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var fd = Native.Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Native.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of folder {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
