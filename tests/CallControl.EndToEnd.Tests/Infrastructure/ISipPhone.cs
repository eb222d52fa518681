using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>A test's own SIP endpoint towards the node, over whichever transport: send bytes, receive messages.</summary>
internal interface ISipPhone
{
    /// <summary>The local port (its Contact's).</summary>
    int LocalPort { get; }

    /// <summary>The host its URIs name, itself and the node's registrar alike (both on one loopback): 127.0.0.1, or [::1].</summary>
    string Host => "127.0.0.1";

    /// <summary>"udp", "tcp", "ws" or "wss": its Via transport (in lower case) and its Contact's transport parameter.</summary>
    string Transport { get; }

    /// <summary>The host and port it writes in Via and Contact: its own address and port, or a WebSocket client's <c>.invalid</c> name.</summary>
    string SentBy => $"{Host}:{LocalPort}";

    Task SendAsync(byte[] message);

    /// <summary>The next SIP message from the node (a retransmission of one already received is skipped).</summary>
    Task<SipMessage> ReceiveMessageAsync();
}
