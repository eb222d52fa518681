using System.Text;
using CallControl.Silo.Cdr;

namespace CallControl.Grains.Tests;

/// <summary>The CDR journal on its own, with real files: written durably, read back, removed, and what it does with damage.</summary>
public sealed class CdrJournalTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RecordingLogger<CdrJournal> _log = new();

    public void Dispose() => _folder.Dispose();

    private CdrJournal Journal() => new(_folder.Path, _log);

    [Fact]
    public void A_written_cdr_is_one_file_a_new_journal_replays_it_and_a_removal_empties_the_folder()
    {
        var record = CdrOutboxTests.Cdr("call-1@example.com/with/slashes");
        Journal().Write(record);

        var file = Assert.Single(_folder.Files());
        Assert.Equal(CdrJournalFile.NameFor(record.CallId), Path.GetFileName(file));

        var successor = Journal(); // another process over the same folder
        Assert.Equal(record, Assert.Single(successor.Replay()));
        Assert.Equal(1, successor.Count);

        successor.Remove(record.CallId);
        Assert.Empty(_folder.Files());
        Assert.Equal(0, successor.Count);
        Assert.Empty(Journal().Replay());
    }

    [Fact]
    public void A_second_write_of_the_same_call_replaces_its_file()
    {
        var journal = Journal();
        journal.Write(CdrOutboxTests.Cdr("same"));
        journal.Write(CdrOutboxTests.Cdr("same") with { BillableSeconds = 7 });

        Assert.Single(_folder.Files());
        Assert.Equal(1, journal.Count);
        Assert.Equal(7, Assert.Single(Journal().Replay()).BillableSeconds);
    }

    [Fact]
    public void Replay_removes_a_half_written_file_renames_damaged_ones_aside_logs_each_and_replays_the_rest()
    {
        Journal().Write(CdrOutboxTests.Cdr("good"));
        var bytes = CdrJournalFile.Encode(CdrOutboxTests.Cdr("cut"));
        var cut = Path.Combine(_folder.Path, CdrJournalFile.NameFor("cut"));
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var flipped = Path.Combine(_folder.Path, CdrJournalFile.NameFor("flipped"));
        var flippedBytes = CdrJournalFile.Encode(CdrOutboxTests.Cdr("flipped"));
        flippedBytes[^10] ^= 0x01;
        File.WriteAllBytes(flipped, flippedBytes);
        var elsewhere = Path.Combine(_folder.Path, CdrJournalFile.NameFor("not-this-call"));
        File.WriteAllBytes(elsewhere, CdrJournalFile.Encode(CdrOutboxTests.Cdr("other"))); // a whole CDR under another call's name
        var half = Path.Combine(_folder.Path, CdrJournalFile.NameFor("half") + ".0123.tmp");
        File.WriteAllBytes(half, Encoding.UTF8.GetBytes("{\"callId\":\"ha"));

        var replayed = Journal().Replay();

        Assert.Equal("good", Assert.Single(replayed).CallId);
        Assert.False(File.Exists(half));
        Assert.True(File.Exists(cut + CdrJournalFile.CorruptExtension) && !File.Exists(cut));
        Assert.True(File.Exists(flipped + CdrJournalFile.CorruptExtension) && !File.Exists(flipped));
        Assert.True(File.Exists(elsewhere + CdrJournalFile.CorruptExtension));
        Assert.Single(_log.Messages(2214));
        var corrupt = _log.Messages(2215);
        Assert.Equal(3, corrupt.Count);
        Assert.Contains(corrupt, m => m.Contains("cut short", StringComparison.Ordinal));
        Assert.Contains(corrupt, m => m.Contains("checksum mismatch", StringComparison.Ordinal));
        Assert.Contains(corrupt, m => m.Contains("not the file's call", StringComparison.Ordinal));

        Assert.Equal("good", Assert.Single(Journal().Replay()).CallId); // aside means never again
        Assert.Equal(3, _log.Messages(2215).Count);
    }

    [Fact]
    public async Task A_disk_that_fails_the_write_answers_false_logs_and_throws_nothing()
    {
        var notAFolder = Path.Combine(_folder.Path, "a-file");
        await File.WriteAllTextAsync(notAFolder, "in the way");
        var journal = new CdrJournal(Path.Combine(notAFolder, "journal"), _log);

        Assert.False(await journal.TryWriteAsync(CdrOutboxTests.Cdr("x"), CancellationToken.None));
        Assert.Single(_log.Messages(2211));
        Assert.Equal(0, journal.Count);
        Assert.Empty(journal.Replay());
    }

    [Fact]
    public void A_journal_that_never_wrote_creates_no_folder()
    {
        var journal = new CdrJournal(Path.Combine(_folder.Path, "never"), _log);

        Assert.Empty(journal.Replay());
        Assert.False(Directory.Exists(journal.Directory));
    }

    [Theory]
    [InlineData(true, "", "CallControl:Cdr:JournalPath must name a folder")]
    [InlineData(true, "   ", "CallControl:Cdr:JournalPath must name a folder")]
    [InlineData(true, "a\0b", "CallControl:Cdr:JournalPath: 'a\0b' is not a usable folder path.")]
    [InlineData(false, "", null)]
    [InlineData(true, "data/cdr-journal", null)]
    public void Options_name_the_key_of_a_path_that_cannot_be_a_folder(bool enabled, string path, string? failure)
    {
        var result = new CdrJournalOptionsValidator().Validate(null, new CdrJournalOptions { JournalEnabled = enabled, JournalPath = path });

        Assert.Equal(failure is not null, result.Failed);
        if (failure is not null)
        {
            Assert.StartsWith(failure, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Options_reject_a_path_that_is_a_file()
    {
        var file = Path.Combine(_folder.Path, "journal-file");
        await File.WriteAllTextAsync(file, "");

        var result = new CdrJournalOptionsValidator().Validate(null, new CdrJournalOptions { JournalPath = file });

        Assert.True(result.Failed);
        Assert.Contains("CallControl:Cdr:JournalPath", result.FailureMessage, StringComparison.Ordinal);
    }
}
