using CallControl.Media.Ng;

namespace CallControl.Media.Selection;

/// <summary>
/// The configured rtpengines, their health and load, and the choice of one for a new call. Plain and thread-safe: the
/// health monitor (and any call whose command went unanswered) reports; a new call asks <see cref="Choose"/> and keeps
/// the address in its own state, and from then on talks to that address whatever the pool thinks of it.
/// </summary>
/// <remarks>
/// The choice draws two rtpengines by weight among the choosable ones and takes the less loaded of the two (own
/// sessions per unit of weight, from the last <c>statistics</c>); with one candidate, or loads unknown or equal, the
/// first draw wins. Weights decide the shares; load breaks the tie between draws ("power of two choices").
/// </remarks>
public sealed class RtpenginePool
{
    private readonly Lock _lock = new();
    private readonly RtpengineStatus[] _engines;
    private readonly TimeProvider _time;
    private readonly Random _random;

    /// <summary>A pool of these rtpengines and weights; <paramref name="random"/> for tests (default: shared).</summary>
    public RtpenginePool(IEnumerable<(NgAddress Address, int Weight)> engines, TimeProvider time, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(engines);
        _time = time;
        _random = random ?? Random.Shared;
        _engines = engines.Select(e => new RtpengineStatus(e.Address, e.Weight, RtpengineHealth.Unknown, null, time.GetUtcNow())).ToArray();
    }

    /// <summary>Raised (outside the pool's lock) with the new status each time an rtpengine's health changes.</summary>
    public event Action<RtpengineStatus>? HealthChanged;

    /// <summary>Every rtpengine as the pool sees it now, in configured order.</summary>
    public IReadOnlyList<RtpengineStatus> Snapshot()
    {
        lock (_lock)
        {
            return [.. _engines];
        }
    }

    /// <summary>An rtpengine for a new call (not <paramref name="except"/>, the one that just failed it); <see cref="NoRtpengineException"/> when none can.</summary>
    public NgAddress Choose(NgAddress? except = null) =>
        TryChoose(out var chosen, except) ? chosen : throw new NoRtpengineException();

    /// <summary>As <see cref="Choose"/>, false when none can.</summary>
    public bool TryChoose(out NgAddress chosen, NgAddress? except = null)
    {
        lock (_lock)
        {
            var candidates = _engines.Where(e => e.Choosable && e.Address != except).ToList();
            if (candidates.Count == 0)
            {
                chosen = null!;
                return false;
            }

            var first = Draw(candidates);
            candidates.Remove(first);
            var second = candidates.Count > 0 ? Draw(candidates) : first;
            chosen = Load(second) < Load(first) ? second.Address : first.Address;
            return true;
        }
    }

    /// <summary>
    /// The rtpengine answered (a ping, or any command); <paramref name="load"/> when it was a <c>statistics</c>.
    /// Returns the health it had, if this changed it.
    /// </summary>
    public RtpengineHealth? ReportAnswered(NgAddress address, EngineStatistics? load = null) =>
        Update(address, RtpengineHealth.Up, load?.SessionsOwn);

    /// <summary>The rtpengine did not answer after every attempt. Returns the health it had, if this changed it.</summary>
    public RtpengineHealth? ReportUnanswered(NgAddress address) => Update(address, RtpengineHealth.Down, null);

    private RtpengineHealth? Update(NgAddress address, RtpengineHealth health, long? sessions)
    {
        RtpengineStatus before, after;
        lock (_lock)
        {
            var i = Array.FindIndex(_engines, e => e.Address == address);
            if (i < 0)
            {
                return null; // not configured (a call's rtpengine from an older configuration): nothing to track
            }

            before = _engines[i];
            var changed = before.Health != health;
            after = _engines[i] = before with { Health = health, Sessions = sessions ?? before.Sessions, Since = changed ? _time.GetUtcNow() : before.Since };
        }

        if (before.Health == after.Health)
        {
            return null;
        }

        HealthChanged?.Invoke(after);
        return before.Health;
    }

    private RtpengineStatus Draw(List<RtpengineStatus> candidates)
    {
        var ticket = _random.NextInt64(candidates.Sum(c => (long)c.Weight));
        foreach (var candidate in candidates)
        {
            ticket -= candidate.Weight;
            if (ticket < 0)
            {
                return candidate;
            }
        }

        return candidates[^1];
    }

    private static double Load(RtpengineStatus engine) => engine.Sessions is { } s ? (double)s / engine.Weight : 0;
}
