using CallControl.Sip.Transport;

namespace CallControl.Edge.Registrar;

/// <summary>
/// One NATed UDP flow the edge keeps open: a phone's source address and port as the edge saw it (the router's public
/// side), the addresses of record registered through it with their expiry, and how its keep-alives fare. Owned and
/// locked by <see cref="NatFlowTable"/>.
/// </summary>
internal sealed class NatFlow(SipEndPoint source)
{
    /// <summary>Where the phone's REGISTERs came from, and where keep-alives go.</summary>
    public SipEndPoint Source { get; } = source;

    /// <summary>The AORs registered through this flow, each with when its registration through it expires.</summary>
    public Dictionary<string, DateTimeOffset> Registrations { get; } = new(StringComparer.Ordinal);

    /// <summary>The Contact URI last registered through the flow: the Request-URI of its OPTIONS, as the phone knows itself.</summary>
    public string Contact { get; set; } = "";

    /// <summary>Keep-alives sent in a row without an answer.</summary>
    public int Unanswered { get; set; }

    /// <summary>A keep-alive went out and nothing has answered it yet.</summary>
    public bool Awaiting { get; set; }

    /// <summary>The number of keep-alives sent: the CSeq of the next is one more.</summary>
    public uint Sent { get; set; }

    /// <summary>Gone from the table: its place in the wheel is skipped.</summary>
    public bool Removed { get; set; }

    /// <summary>Any answer, or a REGISTER through the flow: it is alive.</summary>
    public void Alive()
    {
        Awaiting = false;
        Unanswered = 0;
    }
}
