using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Transport;

/// <summary>
/// An <see cref="IPacketScreen"/> for the transport tests: a message's verdict is chosen by its Call-ID's first word
/// (<c>drop-…</c>, <c>cut-…</c>, anything else accepted); what it was shown is recorded, from the receive threads.
/// </summary>
internal sealed class RecordingPacketScreen : IPacketScreen
{
    public ConcurrentQueue<(string CallId, SipEndPoint Source)> Screened { get; } = new();

    public ConcurrentQueue<IPEndPoint> Connections { get; } = new();

    public ConcurrentQueue<IPEndPoint> Closed { get; } = new();

    /// <summary>What a new connection gets.</summary>
    public ScreenVerdict ConnectionVerdict { get; set; } = ScreenVerdict.Accept;

    public ScreenVerdict Screen(ReadOnlySpan<byte> message, SipEndPoint source)
    {
        var callId = CallIdOf(message);
        Screened.Enqueue((callId, source));
        return callId.StartsWith("drop-", StringComparison.Ordinal) ? ScreenVerdict.Drop
            : callId.StartsWith("cut-", StringComparison.Ordinal) ? ScreenVerdict.Disconnect
            : ScreenVerdict.Accept;
    }

    public ScreenVerdict ScreenConnection(IPEndPoint remote)
    {
        Connections.Enqueue(remote);
        return ConnectionVerdict;
    }

    public void ConnectionClosed(IPEndPoint remote) => Closed.Enqueue(remote);

    /// <summary>The Call-ID of a message's bytes (the screen is shown bytes, never a parsed message).</summary>
    public static string CallIdOf(ReadOnlySpan<byte> message)
    {
        var text = Encoding.ASCII.GetString(message);
        var start = text.IndexOf("Call-ID: ", StringComparison.Ordinal) + "Call-ID: ".Length;
        return text[start..text.IndexOf('\r', start)];
    }
}
