using System.Collections.Concurrent;
using CallControl.Calls;
using CallControl.Grains.Dialogs;
using CallControl.Grains.Media;
using CallControl.Grains.Routing;
using CallControl.Media.Bencode;
using CallControl.Media.Ng;
using CallControl.Media.Selection;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Grains.Tests;

/// <summary>
/// The host sends each media command with the flags of the profile its SDP goes to (docs/media.md, "SRTP and WebRTC
/// per route"): the request's for an offer or answer, and the call's state's for a re-anchor on another rtpengine.
/// </summary>
public sealed class CallMediaProfileTests : IDisposable
{
    private const string Sdp = "v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    private static readonly NgAddress First = NgAddress.Parse("127.0.0.1:2223");
    private static readonly NgAddress Second = NgAddress.Parse("127.0.0.1:2224");

    private readonly RecordingNg _ng = new();
    private readonly MediaMeterRecorder _meters = new();

    private CallMedia Media => new(_ng, new RtpenginePool([(First, 1), (Second, 1)], TimeProvider.System), new MemoryMediaSessionIndex(), new CallMediaMetrics(_meters.MeterFactory), NullLogger.Instance);

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task A_first_offer_toward_an_srtp_callee_asks_for_rtp_savp_and_the_answer_back_to_the_caller_names_no_protocol()
    {
        var state = new DialogState();

        Assert.True((await Media.RunAsync("call", state, new MediaRequest(MediaKind.Offer, "alice", null, Sdp, "127.0.0.1") { Toward = MediaProfile.Srtp })).Ok);
        Assert.True((await Media.RunAsync("call", state, new MediaRequest(MediaKind.Answer, "alice", "bob", Sdp, "127.0.0.1") { Toward = MediaProfile.Rtp })).Ok);

        var (offer, answer) = (_ng.Sent("offer").Single(), _ng.Sent("answer").Single());
        Assert.Equal(("RTP/SAVP", "off", "remove"), (offer.Text("transport-protocol"), offer.Text("DTLS"), offer.Text("ICE")));
        Assert.Equal((null, "remove"), (answer.Text("transport-protocol"), answer.Text("ICE")));
    }

    [Fact]
    public async Task An_offer_toward_a_webrtc_side_forces_ice_and_dtls_srtp()
    {
        var state = new DialogState();

        await Media.RunAsync("call", state, new MediaRequest(MediaKind.Offer, "alice", null, Sdp, "127.0.0.1") { Toward = MediaProfile.WebRtc });

        var offer = _ng.Sent("offer").Single();
        Assert.Equal(("UDP/TLS/RTP/SAVPF", "force"), (offer.Text("transport-protocol"), offer.Text("ICE")));
        Assert.Equal(["require"], offer.List("rtcp-mux")!.Texts());
    }

    [Fact]
    public async Task A_reanchor_makes_the_session_again_toward_each_sides_profile_from_the_state()
    {
        var state = new DialogState { MediaEngine = First.ToString(), MediaCallee = MediaProfile.Srtp, MediaCaller = MediaProfile.WebRtc };

        var moved = await Media.RunAsync("call", state, new MediaRequest(MediaKind.Reanchor, "alice", "bob", Sdp, "127.0.0.1") { AnswerSdp = Sdp, AnswerSource = "127.0.0.1" });

        Assert.True(moved.Ok);
        var (offer, answer) = (_ng.Sent("offer").Single(), _ng.Sent("answer").Single());
        Assert.Equal("RTP/SAVP", offer.Text("transport-protocol"));
        Assert.Equal(("force", null), (answer.Text("ICE"), answer.Text("transport-protocol")));
        Assert.Equal(Second.ToString(), state.MediaEngine);
    }

    /// <summary>An rtpengine that answers every command with an SDP, and keeps what it was sent.</summary>
    private sealed class RecordingNg : INgClient
    {
        private readonly ConcurrentQueue<(string Command, BencodeDictionary Arguments)> _sent = new();

        public IEnumerable<BencodeDictionary> Sent(string command) => _sent.Where(s => s.Command == command).Select(s => s.Arguments);

        public Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken)
        {
            _sent.Enqueue((command, arguments ?? new BencodeDictionary()));
            return Task.FromResult(new BencodeDictionary { ["result"] = "ok", ["sdp"] = Sdp });
        }
    }
}
