using System.ComponentModel;
using CallControl.Grains.Flows;

namespace CallControl.Calls;

/// <summary>Where one callee leg is. Persisted: append only.</summary>
public enum LegStatus : byte
{
    /// <summary>Its INVITE is out; no provisional yet.</summary>
    Calling,

    /// <summary>It sent a provisional response (an early dialog).</summary>
    Early,

    /// <summary>It answered, and won the call.</summary>
    Answered,

    /// <summary>Its INVITE got a final non-2xx response, or none: the leg is over.</summary>
    Failed,
}

/// <summary>
/// One callee leg of the call (we are its UAC): a dialog of its own with the target, a Call-ID, tags and branch
/// of its own. A call has one per target it rang: parallel ringing and hunting add legs, and the one that answers
/// carries the call. Persisted with <see cref="DialogState"/>.
/// </summary>
[GenerateSerializer, Alias("cc.callee-leg")]
public sealed class CalleeLeg
{
    /// <summary>Its place in <see cref="DialogState.Legs"/>.</summary>
    [Id(0)] public int Number { get; set; }

    /// <summary>The dial (<see cref="DialogState.DialNumber"/>) it belongs to.</summary>
    [Id(1)] public int Dial { get; set; }

    /// <summary>What it dialled.</summary>
    [Id(2)] public DialTarget Target { get; set; } = null!;

    /// <summary>Its Request-URI (the target's, with the dialled user when the target names none).</summary>
    [Id(3)] public string Uri { get; set; } = "";

    /// <summary>Where its INVITE went (for a registered TCP binding: that connection).</summary>
    [Id(4)] public SipPeer Peer { get; set; } = null!;

    /// <summary>The edge whose addresses are in its Via and Contact, and which holds <see cref="Peer"/>'s connection.</summary>
    [Id(5)] public EdgeInfo Edge { get; set; } = null!;

    /// <summary>Its Call-ID (derived from the caller's by <see cref="CallIdCodec"/>).</summary>
    [Id(6)] public string CallId { get; set; } = "";

    /// <summary>
    /// The INVITE a leg stored before its identifiers were kept (<see cref="InviteVia"/>, <see cref="LocalFrom"/>,
    /// <see cref="InviteTo"/>) was sent with: they are read from it. Empty for legs since: the INVITE is not stored.
    /// </summary>
    [Id(7)] public byte[] Invite { get; set; } = [];

    [Id(8)] public LegStatus Status { get; set; }

    /// <summary>The callee's To (with its tag) from the response that answered, or the first provisional.</summary>
    [Id(9)] public string? To { get; set; }

    /// <summary>The callee's Contact: the remote target of requests on this leg.</summary>
    [Id(10)] public string? RemoteTarget { get; set; }

    /// <summary>The route set (Record-Route reversed: RFC 3261 §12.1.2).</summary>
    [Id(11)] public List<string> RouteSet { get; set; } = [];

    /// <summary>The last CSeq number we used on this leg (<see cref="DefaultValueAttribute"/>: see <see cref="DialogState.AnsweredLeg"/>).</summary>
    [Id(12), DefaultValue(1u)] public uint LocalCSeq { get; set; } = 1;

    /// <summary>The ACK we sent for its 2xx, sent again when the 2xx is retransmitted.</summary>
    [Id(13)] public byte[]? Ack { get; set; }

    /// <summary>The call no longer wants this leg (another answered, the caller gave up, its ring timed out).</summary>
    [Id(14)] public bool Abandoned { get; set; }

    /// <summary>Abandoned before any provisional: its CANCEL goes out on the first one (RFC 3261 §9.1).</summary>
    [Id(15)] public bool CancelPending { get; set; }

    /// <summary>Its final status (0 while ringing); for a leg that got no response, 408 or 503.</summary>
    [Id(16)] public int FinalStatus { get; set; }

    /// <summary>True when its final status came from a timeout or transport error, not from the callee.</summary>
    [Id(17)] public bool NoResponse { get; set; }

    /// <summary>Its final response when it was a real one, kept while it may become the caller's (best response).</summary>
    [Id(18)] public byte[]? FinalResponse { get; set; }

    /// <summary>The top Via of its INVITE (its branch): its CANCEL repeats it. Null in legs stored before it was kept.</summary>
    [Id(19)] public string? InviteVia { get; set; }

    /// <summary>Our From on this leg (with our tag). Null in legs stored before it was kept.</summary>
    [Id(20)] public string? LocalFrom { get; set; }

    /// <summary>The To of its INVITE (no tag). Null in legs stored before it was kept.</summary>
    [Id(21)] public string? InviteTo { get; set; }

    /// <summary>Which of its target's <see cref="DialTarget.Hops"/> it went to (RFC 3263 failover: the next one is a new leg).</summary>
    [Id(22)] public int Hop { get; set; }

    /// <summary>When its INVITE went out (for legs stored before it was kept: never, as if long ago).</summary>
    [Id(23)] public DateTimeOffset SentAt { get; set; }


    /// <summary>
    /// The CSeq number of its INVITE: 1, and one more each time the INVITE is sent again with credentials for a trunk's
    /// challenge (RFC 3261 §22.2). Its responses, CANCEL, ACK and RAck carry it. <see cref="DefaultValueAttribute"/>: see
    /// <see cref="DialogState.AnsweredLeg"/> (legs stored before it was kept read as 1, which they all used).
    /// </summary>
    [Id(30), DefaultValue(1u)] public uint InviteCSeq { get; set; } = 1;

    /// <summary>
    /// The CSeq number of the last request on this leg that carried our credentials (0: none did). A challenge to that
    /// request means the credentials were refused, unless it says the nonce was only stale: answered once per challenge.
    /// </summary>
    [Id(31)] public uint AuthorizedCSeq { get; set; }

    /// <summary>The Session-Expires its INVITE asked (RFC 4028; 0: none): after a 422, the next leg asks the callee's Min-SE.</summary>
    [Id(24)] public int SessionExpires { get; set; }

    /// <summary>The Min-SE its INVITE carried (RFC 4028 §7.3: after a 422, the callee's).</summary>
    [Id(25)] public int SessionMinSe { get; set; }

    /// <summary>True while it still may answer: not failed, not abandoned, not the winner yet.</summary>
    public bool IsRinging => Status is LegStatus.Calling or LegStatus.Early && !Abandoned;

    /// <summary>
    /// Fills <see cref="InviteVia"/>, <see cref="LocalFrom"/> and <see cref="InviteTo"/> from the stored INVITE for a
    /// leg stored before they were kept: parsed once, then saved with the state like any other change.
    /// </summary>
    public void EnsureIdentifiers()
    {
        if (LocalFrom is not null)
        {
            return;
        }

        var invite = Sip.Parsing.SipParser.ParseTrusted(Invite);
        InviteVia = System.Text.Encoding.UTF8.GetString(Sip.Messages.SipRequests.TopViaRaw(invite));
        LocalFrom = System.Text.Encoding.UTF8.GetString(invite.RawValue(Sip.Headers.HeaderId.From));
        InviteTo = System.Text.Encoding.UTF8.GetString(invite.RawValue(Sip.Headers.HeaderId.To));
    }
}
