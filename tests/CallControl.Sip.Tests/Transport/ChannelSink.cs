using System.Threading.Channels;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Transport;

/// <summary>An <see cref="ISipMessageSink"/> the transport tests await: every message, where from, and how long it waited.</summary>
internal sealed class ChannelSink : ISipMessageSink
{
    private readonly Channel<(ReadOnlyMemory<byte> Message, SipEndPoint Source, TimeSpan Waited)> _received =
        Channel.CreateUnbounded<(ReadOnlyMemory<byte>, SipEndPoint, TimeSpan)>();

    public void OnMessage(ReadOnlyMemory<byte> message, SipEndPoint source, TimeSpan waited) => _received.Writer.TryWrite((message, source, waited));

    /// <summary>The next message, within 10 s.</summary>
    public async Task<(ReadOnlyMemory<byte> Message, SipEndPoint Source, TimeSpan Waited)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _received.Reader.ReadAsync(timeout.Token);
    }
}
