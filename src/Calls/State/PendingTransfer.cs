namespace CallControl.Calls;

/// <summary>
/// A transfer accepted (202 to its REFER) and not yet over: the legs to its target ring, and the transferor hears how
/// it goes in NOTIFYs (RFC 3515 §2.4.4). Saved before the 202 goes out, so a silo failure still ends it with its NOTIFY
/// and the right legs. Persisted with <see cref="DialogState"/>: ids append only.
/// </summary>
[GenerateSerializer, Alias("cc.pending-transfer")]
public sealed class PendingTransfer
{
    /// <summary>Who sent the REFER.</summary>
    [Id(0)] public TransferParty Transferor { get; set; }

    /// <summary>The callee leg the REFER came on (<see cref="CalleeLeg.Number"/>) when the transferor is the callee.</summary>
    [Id(1)] public int TransferorLeg { get; set; }

    /// <summary>The dial (<see cref="DialogState.DialNumber"/>) whose legs go to the target.</summary>
    [Id(2)] public int Dial { get; set; }

    /// <summary>The target dialled.</summary>
    [Id(3)] public string Target { get; set; } = "";

    /// <summary>When the target counts as not answering (the call's ring timeout after the REFER).</summary>
    [Id(4)] public DateTimeOffset Deadline { get; set; }

    /// <summary>The transferor hung up before the transfer was over: no NOTIFY can reach it, and a failed transfer ends the call.</summary>
    [Id(5)] public bool TransferorGone { get; set; }

    /// <summary>The transferor asked for no NOTIFYs (<c>Refer-Sub: false</c>, RFC 4488).</summary>
    [Id(6)] public bool Quiet { get; set; }

    /// <summary>The user part the target's legs dial when its route names none (a trunk): the Refer-To's, not the call's dialled number.</summary>
    [Id(7)] public string? User { get; set; }

    /// <summary>The offer the target's legs get: the transferee's SDP (as the relay rewrote it when media is anchored).</summary>
    [Id(8)] public byte[]? Offer { get; set; }

    /// <summary>The REFER's CSeq number: the <c>id</c> of the NOTIFYs' Event (RFC 3515 §2.4.6).</summary>
    [Id(9)] public uint ReferCSeq { get; set; }

    /// <summary>An attended transfer: its target replaces its dialog with the transferor's other call (RFC 3891).</summary>
    [Id(10)] public bool Attended { get; set; }
}
