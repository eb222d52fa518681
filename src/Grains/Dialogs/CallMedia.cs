using CallControl.Calls;
using CallControl.Grains.Media;
using CallControl.Media.Ng;
using CallControl.Media.Selection;
using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// Carries out an anchored call's media commands on rtpengine (docs/media.md, "Anchoring a call"): the call's first
/// offer chooses an rtpengine and keeps its address in the call's state (<see cref="DialogState.MediaEngine"/>), so a
/// reactivated call talks to the same one; every later command goes there. A first offer that fails tries one other
/// rtpengine; nothing here throws: a failure is a <see cref="MediaResult"/> with its reason. Where each call's media
/// is goes into the <see cref="IMediaSessionIndex"/>, without making the call wait for it.
/// </summary>
internal sealed partial class CallMedia(INgClient ng, RtpenginePool pool, IMediaSessionIndex index, CallMediaMetrics metrics, ILogger logger)
{
    /// <summary>Runs <paramref name="request"/> for call <paramref name="callId"/> (its ng call-id: the caller leg's Call-ID).</summary>
    public async ValueTask<MediaResult> RunAsync(string callId, DialogState state, MediaRequest request)
    {
        try
        {
            return request.Kind switch
            {
                MediaKind.Offer when state.MediaEngine is null => await FirstOfferAsync(callId, state, request),
                MediaKind.Offer => Rewritten(await ng.OfferAsync(EngineOf(state), new OfferRequest(callId, request.FromTag, request.Sdp!) { ToTag = request.ToTag, Media = FlagsOf(request) })),
                MediaKind.Answer => Rewritten(await ng.AnswerAsync(EngineOf(state), new AnswerRequest(callId, request.FromTag, request.ToTag!, request.Sdp!) { Media = FlagsOf(request) })),
                MediaKind.Reanchor => await ReanchorAsync(callId, state, request),
                _ => await DeleteAsync(callId, state, request),
            };
        }
        catch (Exception e) when (e is NgException or NoRtpengineException or ArgumentException or FormatException)
        {
            if (e is NgTimeoutException { Address: { } silent })
            {
                pool.ReportUnanswered(silent);
            }

            Log.MediaFailed(logger, e, callId, request.Kind, state.MediaEngine);
            return MediaResult.Failed(e.Message);
        }
    }

    private async Task<MediaResult> FirstOfferAsync(string callId, DialogState state, MediaRequest request)
    {
        var offer = new OfferRequest(callId, request.FromTag, request.Sdp!) { ToTag = request.ToTag, Media = FlagsOf(request) };
        var first = pool.Choose();
        try
        {
            var reply = await ng.OfferAsync(first, offer);
            Anchored(callId, state, first);
            return Rewritten(reply);
        }
        catch (NgException e)
        {
            if (e is NgTimeoutException)
            {
                pool.ReportUnanswered(first);
                Forget(first, callId, request.FromTag);
            }

            if (!pool.TryChoose(out var second, except: first))
            {
                throw;
            }

            Log.OfferRetried(logger, e, callId, first.ToString(), second.ToString());
            var reply = await ng.OfferAsync(second, offer);
            Anchored(callId, state, second);
            return Rewritten(reply);
        }
    }

    /// <summary>
    /// The call's rtpengine died: the session is made on another (never the lost one) from the parties' last SDPs,
    /// an offer from the caller's and an answer from the callee's, each toward its side's media profile (the state's,
    /// as the first time); the result has the SDP for each leg.
    /// </summary>
    private async Task<MediaResult> ReanchorAsync(string callId, DialogState state, MediaRequest request)
    {
        var lost = EngineOf(state);
        if (!pool.TryChoose(out var next, except: lost))
        {
            metrics.Reanchored(ReanchorOutcome.NoRtpengine);
            throw new NoRtpengineException();
        }

        try
        {
            var offer = await ng.OfferAsync(next, new OfferRequest(callId, request.FromTag, request.Sdp!) { ToTag = request.ToTag, Media = Flags(request.Sdp!, request.Source, state.MediaCallee, MediaKind.Offer) });
            var answer = await ng.AnswerAsync(next, new AnswerRequest(callId, request.FromTag, request.ToTag!, request.AnswerSdp!) { Media = Flags(request.AnswerSdp!, request.AnswerSource, state.MediaCaller, MediaKind.Answer) });
            Anchored(callId, state, next);
            Log.MediaMoved(logger, callId, lost, next);
            metrics.Reanchored(ReanchorOutcome.Succeeded);
            return new MediaResult(true, offer.Sdp) { AnswerSdp = answer.Sdp };
        }
        catch (NgException)
        {
            metrics.Reanchored(ReanchorOutcome.Failed);
            throw; // RunAsync reports a silent rtpengine to the pool
        }
    }

    /// <summary>
    /// An offer that timed out may have been carried out, its reply lost or late: the session it made would stay on
    /// that rtpengine until its own timeout. A delete is sent without waiting (a dead rtpengine just times it out too).
    /// </summary>
    private void Forget(NgAddress engine, string callId, string fromTag)
        => _ = ng.DeleteAsync(engine, new DeleteRequest(callId, fromTag)).ContinueWith(
            static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The call's media is on <paramref name="engine"/>: kept in its state, and in the index (not awaited).</summary>
    private void Anchored(string callId, DialogState state, NgAddress engine)
    {
        state.MediaEngine = engine.ToString();
        Indexed(index.SetAsync(callId, state.MediaEngine, CancellationToken.None), callId);
    }

    /// <summary>
    /// An index write the call does not wait for: a lost one costs at most a call the failover cannot find (a missing
    /// row) or one it finds ended (a stale row, removed then); logged.
    /// </summary>
    private void Indexed(Task write, string callId)
        => _ = write.ContinueWith(
            (t, state) => Log.IndexFailed(logger, t.Exception!.GetBaseException(), (string)state!),
            callId, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task<MediaResult> DeleteAsync(string callId, DialogState state, MediaRequest request)
    {
        if (state.MediaEngine is not { } engine)
        {
            return MediaResult.Failed("the call has no rtpengine");
        }

        Indexed(index.RemoveAsync(callId, CancellationToken.None), callId);
        var statistics = await ng.DeleteAsync(NgAddress.Parse(engine), new DeleteRequest(callId, request.FromTag));
        var media = RecordOf(statistics, request.FromTag, request.ToTag, engine);
        metrics.Ended(media); // the same numbers as the CDR's media object
        return new MediaResult(true, Stats: media);
    }

    /// <summary>The CDR's media object from a delete's statistics: what each party sent, and RTCP quality where rtpengine had it.</summary>
    internal static CallMediaRecord RecordOf(CallStatistics statistics, string callerTag, string? calleeTag, string engine)
    {
        var fromCaller = statistics.RtpFrom(callerTag);
        var fromCallee = calleeTag is null ? StreamCounters.Zero : statistics.RtpFrom(calleeTag);
        var losses = statistics.Quality.Where(q => q.CumulativeLoss is not null).Select(q => q.CumulativeLoss!.Value).ToList();
        var averages = statistics.Quality.Where(q => q.Average is not null).Select(q => q.Average!).ToList();
        return new CallMediaRecord
        {
            FromCaller = new MediaCounts(fromCaller.Packets, fromCaller.Bytes),
            FromCallee = new MediaCounts(fromCallee.Packets, fromCallee.Bytes),
            PacketsLost = losses.Count > 0 ? losses.Sum() : null,
            Jitter = averages.Count > 0 ? averages.Max(a => a.Jitter) : null,
            Mos = averages.Count > 0 ? averages.Min(a => a.Mos) : null,
            Engine = engine,
        };
    }

    /// <summary>The receiver's protocol (docs/media.md, "SRTP and WebRTC per route"), with trust in the sender's SDP address.</summary>
    private static MediaFlags FlagsOf(MediaRequest request) => Flags(request.Sdp!, request.Source, request.Toward, request.Kind);

    private static MediaFlags Flags(string sdp, string? source, Routing.MediaProfile toward, MediaKind kind)
        => MediaTrust.FlagsFor(sdp, source, MediaProfileFlags.For(toward, kind));

    private static NgAddress EngineOf(DialogState state) => NgAddress.Parse(state.MediaEngine!);

    private static MediaResult Rewritten(SdpReply reply) => new(true, reply.Sdp);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2032, Level = LogLevel.Warning, Message = "Call {CallId}: media {Kind} failed on rtpengine {Engine}")]
        public static partial void MediaFailed(ILogger logger, Exception exception, string callId, MediaKind kind, string? engine);

        [LoggerMessage(EventId = 2033, Level = LogLevel.Warning, Message = "Call {CallId}: offer failed on rtpengine {First}; trying {Second}")]
        public static partial void OfferRetried(ILogger logger, Exception exception, string callId, string first, string second);

        [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Call {CallId}: media moved from rtpengine {Lost}, which died, to {Next}")]
        public static partial void MediaMoved(ILogger logger, string callId, NgAddress lost, NgAddress next);

        [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Call {CallId}: the media session index was not written; if its rtpengine dies the call is not moved")]
        public static partial void IndexFailed(ILogger logger, Exception exception, string callId);
    }
}
