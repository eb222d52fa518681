using System.Diagnostics.Metrics;
using CallControl.Media;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// The anchored calls' media metrics (meter <c>CallControl.Media</c>, beside <see cref="RtpengineMetrics"/>; docs/media.md,
/// "Metrics"): at each anchored call's end, what its rtpengine counted (the CDR's <c>media</c> object, so the metrics and
/// the CDRs agree), and the re-anchors of calls whose rtpengine failed. One per silo (a singleton of <c>AddCallControlGrains</c>).
/// </summary>
public sealed class CallMediaMetrics
{
    private static readonly KeyValuePair<string, object?> CallerToCallee = new("direction", "caller_to_callee");
    private static readonly KeyValuePair<string, object?> CalleeToCaller = new("direction", "callee_to_caller");

    private readonly Counter<long> _calls;
    private readonly Counter<long> _packets;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _lost;
    private readonly Histogram<double> _jitter;
    private readonly Histogram<double> _mos;
    private readonly Counter<long> _reanchors;

    /// <summary>Creates the instruments in the host's meter.</summary>
    public CallMediaMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(RtpengineMetrics.MeterName);

        // No units on packets and bytes: the Prometheus names are exactly these plus _total.
        _calls = meter.CreateCounter<long>("callcontrol.media.calls", description: "Anchored calls ended whose rtpengine answered the delete with its counts");
        _packets = meter.CreateCounter<long>("callcontrol.media.rtp.packets", description: "RTP packets rtpengine received in ended anchored calls, by direction (caller_to_callee, callee_to_caller)");
        _bytes = meter.CreateCounter<long>("callcontrol.media.rtp.bytes", description: "RTP bytes rtpengine received in ended anchored calls, by direction (caller_to_callee, callee_to_caller)");
        _lost = meter.CreateCounter<long>("callcontrol.media.rtp.packets_lost", description: "Packets reported lost by RTCP (cumulative loss) in ended anchored calls that had RTCP");
        _jitter = meter.CreateHistogram<double>(
            "callcontrol.media.jitter", unit: "ms", description: "Per ended anchored call with RTCP quality: the highest jitter rtpengine reported",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 30, 50, 100, 200, 500] });

        // MOS 1.0-5.0, bounded at ITU-T G.107's user-satisfaction bands: from 4.34 very satisfied, 4.03 satisfied,
        // 3.6 some dissatisfied, 3.1 many, 2.58 nearly all.
        _mos = meter.CreateHistogram<double>(
            "callcontrol.media.mos", description: "Per ended anchored call with RTCP quality: the lowest average MOS over its SSRCs (1.0-5.0)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 2.58, 3.1, 3.6, 4.03, 4.34, 4.5, 5] });
        _reanchors = meter.CreateCounter<long>("callcontrol.media.reanchors", description: "Anchored calls moved off a failed rtpengine, by outcome (succeeded, failed, no_rtpengine)");
    }

    /// <summary>
    /// Counts an anchored call's end from its CDR media object: packets and bytes each way always; loss, jitter and MOS
    /// only when rtpengine computed them from RTCP (absent is not zero: no sample is recorded).
    /// </summary>
    public void Ended(CallMediaRecord media)
    {
        ArgumentNullException.ThrowIfNull(media);
        _calls.Add(1);
        _packets.Add(media.FromCaller.Packets, CallerToCallee);
        _packets.Add(media.FromCallee.Packets, CalleeToCaller);
        _bytes.Add(media.FromCaller.Bytes, CallerToCallee);
        _bytes.Add(media.FromCallee.Bytes, CalleeToCaller);
        if (media.PacketsLost is { } lost)
        {
            _lost.Add(lost);
        }

        if (media.Jitter is { } jitter)
        {
            _jitter.Record(jitter);
        }

        if (media.Mos is { } mos)
        {
            _mos.Record(mos);
        }
    }

    /// <summary>
    /// Counts one re-anchor of an established call whose rtpengine failed (rtpengine failover, issue 19): call it once
    /// per attempt to move a call's media, with how it ended.
    /// </summary>
    public void Reanchored(ReanchorOutcome outcome) => _reanchors.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
    {
        ReanchorOutcome.Succeeded => "succeeded",
        ReanchorOutcome.Failed => "failed",
        ReanchorOutcome.NoRtpengine => "no_rtpengine",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not a re-anchor outcome"),
    }));
}
