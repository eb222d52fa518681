using System.Collections.Concurrent;
using CallControl.Grains;

namespace CallControl.Calls.Tests;

/// <summary>
/// The media relay as the machine tests see it: every request is kept in order; an offer or answer comes back as an SDP
/// that names the command and its tags (so a test can tell whose rewrite reached whom), a delete with fixed counts.
/// While <see cref="Down"/>, every command fails as a dead rtpengine's would (after the host's retries).
/// </summary>
public sealed class FakeMediaRelay
{
    public static readonly CallMediaRecord Counts = new() { FromCaller = new MediaCounts(50, 8600), FromCallee = new MediaCounts(40, 6880), Engine = "127.0.0.1:2223" };

    /// <summary>Where a re-anchored call's media goes.</summary>
    public const string Spare = "127.0.0.1:2224";

    public ConcurrentQueue<MediaRequest> Requests { get; } = new();

    public bool Down { get; set; }

    /// <summary>The SDP the relay gives back for <paramref name="request"/>.</summary>
    public static string Rewrite(MediaRequest request) => $"v=0\r\no=relay {request.Kind} {request.FromTag} {request.ToTag}\r\ns=-\r\n";

    /// <summary>A re-anchor's SDP for the caller (the answer's rewrite): a session version of 7, to see it raised.</summary>
    public static string RewriteAnswer(MediaRequest request) => $"v=0\r\no=relay 1 7 IN IP4 127.0.0.1\r\ns=answer {request.ToTag}\r\n";

    public MediaResult Handle(MediaRequest request)
    {
        Requests.Enqueue(request);
        if (Down)
        {
            return MediaResult.Failed("rtpengine did not answer");
        }

        return request.Kind switch
        {
            MediaKind.Delete => new MediaResult(true, Stats: Counts),
            MediaKind.Reanchor => new MediaResult(true, Rewrite(request)) { AnswerSdp = RewriteAnswer(request) },
            _ => new MediaResult(true, Rewrite(request)),
        };
    }
}
