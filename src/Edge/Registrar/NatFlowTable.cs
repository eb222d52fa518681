using System.Net;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Registrar;

/// <summary>A keep-alive to send: where, the AOR for its To, the Contact for its Request-URI, its CSeq.</summary>
internal readonly record struct KeepAliveDue(SipEndPoint Destination, string Aor, string Contact, uint CSeq);

/// <summary>A flow found dead: where it was, and every AOR registered through it (each registrar is told once).</summary>
internal sealed record FailedFlow(SipEndPoint Source, string[] Aors, int Unanswered);

/// <summary>What <see cref="NatFlowTable.Learn"/> did.</summary>
internal enum LearnOutcome
{
    /// <summary>A new flow.</summary>
    Added,

    /// <summary>A flow already kept: its registration added or refreshed.</summary>
    Refreshed,

    /// <summary>The table is full (<see cref="NatKeepAliveOptions.NatKeepAliveMaxFlows"/>): not kept.</summary>
    Full,
}

/// <summary>
/// The NATed UDP flows one edge keeps open, by source address and port, with a <see cref="TimingWheel{T}"/> saying
/// which are due a keep-alive now: each tick costs what is due, not a scan of every flow. Plain code on the caller's
/// clock: what to send and which flows failed come out as data, <see cref="NatKeepAlives"/> acts on them. Thread-safe.
/// </summary>
internal sealed class NatFlowTable
{
    /// <summary>The wheel's resolution: keep-alives go out within a second of due.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>AORs one flow keeps (a phone with several lines, an office's IP-PBX); others registered through it are not told of its failure.</summary>
    public const int MaxAorsPerFlow = 32;

    private readonly Dictionary<IPEndPoint, NatFlow> _flows = [];
    private readonly TimingWheel<NatFlow> _wheel;
    private readonly List<NatFlow> _due = [];
    private readonly TimeSpan _interval;
    private readonly int _failures;
    private readonly int _maxFlows;
    private readonly Lock _lock = new();

    /// <param name="interval">Between keep-alives of a flow.</param>
    /// <param name="failures">Unanswered keep-alives in a row that make a flow dead; 0: failure is not detected (CRLF).</param>
    /// <param name="maxFlows">Flows kept at most.</param>
    /// <param name="now">The clock's time now.</param>
    public NatFlowTable(TimeSpan interval, int failures, int maxFlows, DateTimeOffset now)
    {
        _interval = interval;
        _failures = failures;
        _maxFlows = maxFlows;
        _wheel = new TimingWheel<NatFlow>(Tick, interval, now);
    }

    /// <summary>Flows kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _flows.Count;
            }
        }
    }

    /// <summary>
    /// A 2xx to a REGISTER of <paramref name="aor"/> from <paramref name="source"/>, whose NATed <paramref name="contact"/>
    /// is bound until <paramref name="expiresAt"/>: the flow is kept (its first keep-alive one interval on), or refreshed
    /// and known alive.
    /// </summary>
    public LearnOutcome Learn(SipEndPoint source, string aor, string contact, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        lock (_lock)
        {
            var outcome = LearnOutcome.Refreshed;
            if (!_flows.TryGetValue(source.Address, out var flow))
            {
                if (_flows.Count >= _maxFlows)
                {
                    return LearnOutcome.Full;
                }

                flow = new NatFlow(source);
                _flows.Add(source.Address, flow);
                _wheel.Add(flow, now + _interval);
                outcome = LearnOutcome.Added;
            }

            if (flow.Registrations.Count < MaxAorsPerFlow || flow.Registrations.ContainsKey(aor))
            {
                flow.Registrations[aor] = expiresAt;
            }

            flow.Contact = contact;
            flow.Alive();
            return outcome;
        }
    }

    /// <summary>A de-registration of <paramref name="aor"/> through <paramref name="source"/>: the flow goes with its last AOR.</summary>
    public bool Forget(SipEndPoint source, string aor)
    {
        lock (_lock)
        {
            if (!_flows.TryGetValue(source.Address, out var flow) || !flow.Registrations.Remove(aor))
            {
                return false;
            }

            if (flow.Registrations.Count == 0)
            {
                Remove(flow);
            }

            return true;
        }
    }

    /// <summary>An answer to a keep-alive from <paramref name="source"/>: its flow is alive; false when no flow is kept there.</summary>
    public bool Answered(IPEndPoint source)
    {
        lock (_lock)
        {
            if (!_flows.TryGetValue(source, out var flow))
            {
                return false;
            }

            flow.Alive();
            return true;
        }
    }

    /// <summary>
    /// Everything due by <paramref name="now"/>: registrations past their expiry are dropped (a flow with none left is
    /// gone, silently), a flow with too many keep-alives unanswered goes to <paramref name="failed"/>, and every other due
    /// flow gets its next keep-alive in <paramref name="send"/>. Returns the flows that expired.
    /// </summary>
    public int Advance(DateTimeOffset now, List<KeepAliveDue> send, List<FailedFlow> failed)
    {
        lock (_lock)
        {
            var expired = 0;
            _due.Clear();
            _wheel.Advance(now, _due);
            foreach (var flow in _due)
            {
                if (flow.Removed)
                {
                    continue;
                }

                foreach (var (aor, expiresAt) in flow.Registrations)
                {
                    if (expiresAt <= now)
                    {
                        flow.Registrations.Remove(aor); // allowed while enumerating (.NET Core 3.0 on)
                    }
                }

                if (flow.Registrations.Count == 0)
                {
                    Remove(flow);
                    expired++;
                    continue;
                }

                if (_failures > 0 && flow.Awaiting && ++flow.Unanswered >= _failures)
                {
                    Remove(flow);
                    failed.Add(new FailedFlow(flow.Source, [.. flow.Registrations.Keys], flow.Unanswered));
                    continue;
                }

                flow.Awaiting = _failures > 0;
                flow.Sent++;
                send.Add(new KeepAliveDue(flow.Source, FirstAor(flow), flow.Contact, flow.Sent));
                _wheel.Add(flow, now + _interval);
            }

            _due.Clear();
            return expired;
        }
    }

    private void Remove(NatFlow flow)
    {
        flow.Removed = true;
        _flows.Remove(flow.Source.Address);
    }

    private static string FirstAor(NatFlow flow)
    {
        foreach (var aor in flow.Registrations.Keys)
        {
            return aor;
        }

        return "";
    }
}
