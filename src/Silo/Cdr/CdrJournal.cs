using System.Collections.Concurrent;
using CallControl.Grains;
using Microsoft.Extensions.Logging;

namespace CallControl.Silo.Cdr;

/// <summary>
/// The outbox's durable copy: one small file per CDR it holds, in a folder of this silo's own, written before the
/// record is held (temporary file, fsync, rename, fsync of the folder) and removed once the store has taken it. At
/// start-up the outbox replays what is here, so a silo restarted after a crash delivers what its predecessor held.
/// Exactly once comes from the store, idempotent by call id: a CDR both here and in the table is written once.
/// </summary>
/// <remarks>
/// A failing disk never fails a call's end: <see cref="TryWriteAsync"/> logs, counts and answers false, and the record
/// is held in memory only, as before the journal. Its blocking I/O runs off the caller's thread, for at most
/// <see cref="WriteBudget"/>.
/// </remarks>
public sealed partial class CdrJournal(string directory, ILogger<CdrJournal> logger, CdrMetrics? metrics = null)
{
    // A healthy fsync takes milliseconds; a call's end (its BYE's 200) already waits up to 2 s for the store's first
    // try, and the edge's grain call gives up at 5 s. A disk slower than this is a disk in trouble: hold in memory.
    private static readonly TimeSpan WriteBudget = TimeSpan.FromSeconds(1);

    // The files this process knows are in the folder (written or replayed), so the gauge counts each once.
    private readonly ConcurrentDictionary<string, byte> _files = new(StringComparer.Ordinal);
    private volatile bool _folderReady;

    /// <summary>The journal's folder, as a full path.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>How many CDRs are in the journal, as far as this process knows.</summary>
    public int Count => _files.Count;

    /// <summary>
    /// Makes a CDR durable; true once it is, false (logged and counted, never thrown) when the disk failed it or took
    /// longer than its budget. A write still running after its budget may land later: the file is then replayed once
    /// more at the next start, which the idempotent store absorbs.
    /// </summary>
    public async Task<bool> TryWriteAsync(CallDetailRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var write = Task.Run(() => Write(record), CancellationToken.None);
        try
        {
            await write.WaitAsync(WriteBudget, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            metrics?.JournalFailed("write");
            Log.WriteSlow(logger, record.CallId, WriteBudget.TotalSeconds, Directory);
            _ = write.ContinueWith(t => Log.WriteFailed(logger, t.Exception!.GetBaseException(), record.CallId, Directory), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return false;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics?.JournalFailed("write");
            Log.WriteFailed(logger, e, record.CallId, Directory);
            return false;
        }
    }

    /// <summary>Writes one CDR's file durably (blocking); throws what the file system throws.</summary>
    public void Write(CallDetailRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        EnsureFolder();
        var name = CdrJournalFile.NameFor(record.CallId);
        var path = Path.Combine(Directory, name);
        var temp = $"{path}.{Guid.NewGuid():N}{CdrJournalFile.TempExtension}";
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write))
            {
                RandomAccess.Write(handle, CdrJournalFile.Encode(record), 0);
                RandomAccess.FlushToDisk(handle);
            }

            File.Move(temp, path, overwrite: true); // rename(2): the file is whole or absent
            DirectorySync.Flush(Directory);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        if (_files.TryAdd(name, 0))
        {
            metrics?.JournalPending.Add(1);
        }
    }

    /// <summary>
    /// Removes a CDR the store has taken; a failure is logged and counted, not thrown. The folder is not flushed: a
    /// removal a crash undoes only replays a stored CDR once more.
    /// </summary>
    public void Remove(string callId)
    {
        var name = CdrJournalFile.NameFor(callId);
        try
        {
            File.Delete(Path.Combine(Directory, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            metrics?.JournalFailed("remove");
            Log.RemoveFailed(logger, e, callId, Directory);
            return;
        }

        if (_files.TryRemove(name, out _))
        {
            metrics?.JournalPending.Add(-1);
        }
    }

    /// <summary>
    /// The CDRs in the journal, for the outbox to hold again at start-up. A file left half-written (never renamed) is
    /// removed; one that does not read back is renamed <c>.corrupt</c> for an operator; each is logged and counted.
    /// An unreadable folder is logged and replays nothing: start-up goes on.
    /// </summary>
    public IReadOnlyList<CallDetailRecord> Replay()
    {
        var records = new List<CallDetailRecord>();
        try
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                return records;
            }

            foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
            {
                if (ReplayOne(path) is { } record)
                {
                    records.Add(record);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            metrics?.JournalFailed("read");
            Log.ReplayFailed(logger, e, Directory);
        }

        metrics?.JournalReplayed.Add(records.Count);
        return records;
    }

    private CallDetailRecord? ReplayOne(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(CdrJournalFile.TempExtension, StringComparison.Ordinal))
        {
            metrics?.JournalFailed("read");
            Log.HalfWritten(logger, path);
            TryDelete(path);
            return null;
        }

        if (!name.EndsWith(CdrJournalFile.Extension, StringComparison.Ordinal))
        {
            return null; // .corrupt files, and anything else an operator put here
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            metrics?.JournalFailed("read");
            Log.ReadFailed(logger, e, path);
            return null;
        }

        if (!CdrJournalFile.TryDecode(bytes, name, out var record, out var problem))
        {
            metrics?.JournalFailed("read");
            Log.Corrupt(logger, path, problem);
            TryMove(path, path + CdrJournalFile.CorruptExtension);
            return null;
        }

        if (_files.TryAdd(name, 0))
        {
            metrics?.JournalPending.Add(1);
        }

        return record;
    }

    private void EnsureFolder()
    {
        if (_folderReady)
        {
            return;
        }

        var created = !System.IO.Directory.Exists(Directory);
        System.IO.Directory.CreateDirectory(Directory);
        if (created && Path.GetDirectoryName(Directory) is { } parent)
        {
            DirectorySync.Flush(parent); // the new folder's own entry, or a crash could take the folder and its files
        }

        _folderReady = true;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.CleanupFailed(logger, e, path);
        }
    }

    private void TryMove(string path, string to)
    {
        try
        {
            File.Move(path, to, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.CleanupFailed(logger, e, path);
        }
    }
}
