using System.Threading.Channels;
using Orleans.Reminders.Diagnostics;
using Orleans.Runtime.Diagnostics;

namespace CallControl.Grains.Tests;

/// <summary>
/// One dialog grain's activations, deactivations and reminder registrations, as Orleans' own diagnostic events report
/// them (process-wide: filtered by the grain's id). Tests await the next event of a kind, with a bound.
/// </summary>
internal sealed class GrainWatch : IDisposable
{
    public enum Kind { Activated, Deactivated, ReminderRegistered, ReminderUnregistered }

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly GrainId _grain;
    private readonly Dictionary<Kind, Channel<DateTime>> _events = Enum.GetValues<Kind>().ToDictionary(k => k, _ => Channel.CreateUnbounded<DateTime>());
    private readonly int[] _counts = new int[Enum.GetValues<Kind>().Length];
    private readonly List<(Kind Kind, DateTime At)> _times = [];
    private readonly IDisposable _lifecycle;
    private readonly IDisposable _reminders;

    public GrainWatch(string callId)
    {
        _grain = GrainId.Create("cc-dialog", callId);
        _lifecycle = GrainLifecycleEvents.AllEvents.Subscribe(new Observer<GrainLifecycleEvents.LifecycleEvent>(e =>
        {
            if (e.GrainContext.GrainId == _grain)
            {
                Record(e switch
                {
                    GrainLifecycleEvents.Activated => Kind.Activated,
                    GrainLifecycleEvents.Deactivated => Kind.Deactivated,
                    _ => null,
                });
            }
        }));
        _reminders = ReminderEvents.AllEvents.Subscribe(new Observer<ReminderEvents.ReminderEvent>(e =>
        {
            if (e.GrainId == _grain)
            {
                Record(e switch
                {
                    ReminderEvents.Registered => Kind.ReminderRegistered,
                    ReminderEvents.Unregistered => Kind.ReminderUnregistered,
                    _ => null,
                });
            }
        }));
    }

    /// <summary>How many events of this kind there were so far.</summary>
    public int Count(Kind kind) => Volatile.Read(ref _counts[(int)kind]);

    /// <summary>How many events of this kind there were before <paramref name="moment"/> (UTC).</summary>
    public int CountBefore(Kind kind, DateTime moment)
    {
        lock (_times)
        {
            return _times.Count(t => t.Kind == kind && t.At < moment);
        }
    }

    /// <summary>Completes at the next event of this kind not yet awaited (one that already happened counts), or fails after 20 s.</summary>
    public async Task NextAsync(Kind kind)
    {
        try
        {
            await _events[kind].Reader.ReadAsync().AsTask().WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{_grain}: no {kind} within {Bound.TotalSeconds} s");
        }
    }

    public void Dispose()
    {
        _lifecycle.Dispose();
        _reminders.Dispose();
    }

    private void Record(Kind? kind)
    {
        if (kind is { } k)
        {
            var now = DateTime.UtcNow;
            Interlocked.Increment(ref _counts[(int)k]);
            lock (_times)
            {
                _times.Add((k, now));
            }

            _events[k].Writer.TryWrite(now);
        }
    }

    private sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnNext(T value) => next(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}
