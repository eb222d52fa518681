using System.Collections.Concurrent;
using System.Text;
using CallControl.Calls;
using CallControl.Grains.Dialogs;
using CallControl.Grains.Media;
using CallControl.Media.Bencode;
using CallControl.Media.Ng;
using CallControl.Media.Selection;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Grains.Tests;

/// <summary>
/// The dialog grain's media host (CallMedia) on a scripted rtpengine: a timed-out first offer moves to another
/// rtpengine and leaves a delete behind it; a re-anchor makes the session again elsewhere from both parties' SDPs.
/// </summary>
public sealed class CallMediaTests : IDisposable
{
    private static readonly NgAddress First = NgAddress.Parse("127.0.0.1:2223");
    private static readonly NgAddress Second = NgAddress.Parse("127.0.0.1:2224");
    private readonly MediaMeterRecorder _meters = new();
    private readonly MemoryMediaSessionIndex _index = new();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task A_first_offer_that_times_out_goes_to_the_other_rtpengine_and_the_first_gets_a_delete()
    {
        var ng = new ScriptedNg(silent: First);
        var state = new DialogState();

        var result = await Media(ng).RunAsync("call-1", state, new MediaRequest(MediaKind.Offer, "a1", null, "v=0\r\n", null));

        Assert.True(result.Ok);
        Assert.Equal(Second.ToString(), state.MediaEngine);
        Assert.Equal([Second.ToString()], [.. await Engines("call-1")]);
        await ng.WaitForAsync(First, "delete"); // not awaited by the call: it comes when the timeout's retries are over
    }

    [Fact]
    public async Task A_reanchor_makes_the_session_again_on_another_rtpengine_from_both_parties_sdps()
    {
        var ng = new ScriptedNg(silent: First);
        var state = new DialogState { MediaEngine = First.ToString(), MediaAnchored = true };
        var request = new MediaRequest(MediaKind.Reanchor, "a1", "b2", "caller-sdp", "127.0.0.1") { AnswerSdp = "callee-sdp", AnswerSource = "127.0.0.1" };

        var result = await Media(ng).RunAsync("call-2", state, request);

        Assert.True(result.Ok);
        Assert.Equal(("offer from a1: caller-sdp", "answer from b2: callee-sdp"), (result.Sdp, result.AnswerSdp));
        Assert.Equal(Second.ToString(), state.MediaEngine);
        Assert.DoesNotContain(ng.Sent, s => s.Address == First);
        Assert.Equal([Second.ToString()], [.. await Engines("call-2")]);
        Assert.Equal("succeeded", Assert.Single(_meters.Of("callcontrol.media.reanchors")).Tag("outcome"));
    }

    [Fact]
    public async Task A_reanchor_with_no_other_rtpengine_fails_and_the_call_stays_where_it_was()
    {
        var ng = new ScriptedNg(silent: First);
        var state = new DialogState { MediaEngine = First.ToString(), MediaAnchored = true };
        var media = new CallMedia(ng, new RtpenginePool([(First, 1)], TimeProvider.System), _index, new CallMediaMetrics(_meters.MeterFactory), NullLogger.Instance);

        var result = await media.RunAsync("call-3", state, new MediaRequest(MediaKind.Reanchor, "a1", "b2", "x", null) { AnswerSdp = "y" });

        Assert.False(result.Ok);
        Assert.Equal(First.ToString(), state.MediaEngine);
        Assert.Equal("no_rtpengine", Assert.Single(_meters.Of("callcontrol.media.reanchors")).Tag("outcome"));
    }

    private async Task<IEnumerable<string>> Engines(string callId)
    {
        var found = new List<string>();
        foreach (var engine in new[] { First, Second })
        {
            if ((await _index.ListAsync(engine.ToString(), null, 10, CancellationToken.None)).Contains(callId))
            {
                found.Add(engine.ToString());
            }
        }

        return found;
    }

    // The pool's draw is weighted: the first rtpengine's weight makes it the first choice, the second takes what it fails.
    private CallMedia Media(INgClient ng)
        => new(ng, new RtpenginePool([(First, 1_000_000), (Second, 1)], TimeProvider.System), _index, new CallMediaMetrics(_meters.MeterFactory), NullLogger.Instance);

    /// <summary>An rtpengine pair: <c>silent</c> never answers; the other echoes each offer's and answer's SDP with its tag.</summary>
    private sealed class ScriptedNg(NgAddress silent) : INgClient
    {
        public ConcurrentQueue<(NgAddress Address, string Command)> Sent { get; } = new();

        public Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken)
        {
            Sent.Enqueue((address, command));
            if (address == silent)
            {
                return Task.FromException<BencodeDictionary>(new NgTimeoutException(command, address, 3, TimeSpan.FromSeconds(1)));
            }

            var tag = command == "answer" ? arguments!.Text("to-tag") : arguments!.Text("from-tag");
            var sdp = $"{command} from {tag}: {arguments.Text("sdp")}";
            return Task.FromResult(BencodeReader.Decode(Encoding.ASCII.GetBytes($"d3:sdp{sdp.Length}:{sdp}6:result2:oke")).AsDictionary()!);
        }

        public async Task WaitForAsync(NgAddress address, string command)
        {
            for (var attempt = 0; attempt < 100 && !Sent.Contains((address, command)); attempt++)
            {
                await Task.Delay(20);
            }

            Assert.Contains((address, command), Sent);
        }
    }
}
