using System.Net;

namespace CallControl.Sip.Transport;

/// <summary>What a transport does with a packet or a connection its <see cref="IPacketScreen"/> judged.</summary>
public enum ScreenVerdict
{
    /// <summary>Hand it on (parse it, keep the connection).</summary>
    Accept,

    /// <summary>Drop it unparsed and unanswered; a stream connection stays open.</summary>
    Drop,

    /// <summary>Drop it, and close the stream connection it came on (a banned or denied source).</summary>
    Disconnect,
}

/// <summary>
/// Judges traffic by its source before any of it is parsed: the border's address lists, bans and per-source rate
/// limits (src/Edge/Security). Called on each transport's receive path, so it must be quick, must not throw, and must
/// not keep the bytes it is shown. A UDP datagram it drops never enters the receive queue, so a flood from one source
/// cannot crowd out anyone else's messages there.
/// </summary>
public interface IPacketScreen
{
    /// <summary>A datagram, or one framed message of a stream, from <paramref name="source"/>.</summary>
    ScreenVerdict Screen(ReadOnlySpan<byte> message, SipEndPoint source);

    /// <summary>A new inbound stream connection from <paramref name="remote"/>; <see cref="ScreenVerdict.Drop"/> and <see cref="ScreenVerdict.Disconnect"/> both refuse it.</summary>
    ScreenVerdict ScreenConnection(IPEndPoint remote);

    /// <summary>An inbound connection <see cref="ScreenConnection"/> accepted has closed.</summary>
    void ConnectionClosed(IPEndPoint remote);
}

/// <summary>The one way a stream or WebSocket transport hands a framed message on: screened by its source first.</summary>
public static class ScreenedDelivery
{
    /// <summary>
    /// Screens <paramref name="message"/> (when there is a screen) and hands it to <paramref name="sink"/> if accepted;
    /// false when the connection it came on is to be closed (<see cref="ScreenVerdict.Disconnect"/>).
    /// </summary>
    public static bool Deliver(IPacketScreen? screen, ISipMessageSink sink, ReadOnlyMemory<byte> message, SipEndPoint source)
    {
        switch (screen?.Screen(message.Span, source) ?? ScreenVerdict.Accept)
        {
            case ScreenVerdict.Accept:
                sink.OnMessage(message, source, TimeSpan.Zero);
                return true;
            case ScreenVerdict.Drop:
                return true;
            default:
                return false;
        }
    }
}
