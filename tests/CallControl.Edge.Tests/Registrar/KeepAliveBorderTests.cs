using CallControl.Edge.Registrar;
using CallControl.Edge.Tests.Security;
using CallControl.Grains;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using static CallControl.Edge.Tests.Registrar.NatMessages;

namespace CallControl.Edge.Tests.Registrar;

/// <summary>
/// The border and the phones' answers to keep-alives: an office behind one NAT address answers for every one of its
/// flows in the same second, from an untrusted source, round after round, and the default limits pass it all and ban
/// nothing (the answers are responses, counted in "Other", 200 at once; the flows came at most at REGISTER's 40 at once).
/// </summary>
public sealed class KeepAliveBorderTests : IDisposable
{
    private const int Phones = 40; // the default REGISTER burst: as many flows as one address can make at once
    private readonly GuardHarness _border = new();

    [Fact]
    public void An_offices_answers_in_one_second_pass_the_default_limits_and_ban_nothing()
    {
        var sent = new List<(SipEndPoint Destination, byte[] Message)>();
        var keepAlives = new NatKeepAlives(new NatKeepAliveOptions(), new Capture(sent), () => new EdgeInfo("edge-1", "192.0.2.1", 5060, 5060), (_, _) => Task.CompletedTask, _border.Time, NullLogger<NatKeepAlives>.Instance);
        for (var i = 0; i < Phones; i++)
        {
            var register = Register(user: $"u{i}");
            keepAlives.Learn(register, Udp("203.0.113.7", 20000 + i), Answer(register, 200, $"<{Contact}>;expires=3600"));
        }

        Assert.Equal(Phones, keepAlives.Flows);
        for (var round = 0; round < 5; round++)
        {
            sent.Clear();
            _border.Time.Advance(TimeSpan.FromSeconds(25));
            keepAlives.Advance();
            Assert.Equal(Phones, sent.Count);
            foreach (var (destination, message) in sent)
            {
                var answer = AnswerTo(Parsed(message));
                Assert.Equal(ScreenVerdict.Accept, _border.Guard.Screen(answer, destination));
                Assert.True(keepAlives.TryTakeAnswer(Parsed(answer), destination));
            }
        }

        Assert.False(_border.IsBanned(Udp("203.0.113.7", 20000)));
        Assert.Empty(_border.Published());
        Assert.Equal(Phones, keepAlives.Flows);
    }

    public void Dispose() => _border.Dispose();

    private sealed class Capture(List<(SipEndPoint, byte[])> sent) : ISipSender
    {
        public event Action<SipEndPoint>? SendFailed
        {
            add { }
            remove { }
        }

        public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message) => sent.Add((destination, message.ToArray()));
    }
}
