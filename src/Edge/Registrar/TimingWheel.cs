namespace CallControl.Edge.Registrar;

/// <summary>
/// A hashed timing wheel (Varghese and Lauck): items due within <c>horizon</c>, in one slot per tick, so each tick
/// touches only what is due then and never the whole set. Time is the caller's (a fake clock in tests). Not
/// thread-safe: the owner locks. An item is in the wheel once per <see cref="Add"/>; removing is the owner's business
/// (a removed item is skipped when its slot comes round).
/// </summary>
internal sealed class TimingWheel<T>
{
    private readonly List<T>[] _slots;
    private readonly long _tickTicks;
    private long _next; // the next tick (absolute: time / tick) whose slot has not been emptied

    /// <summary>A wheel of <paramref name="tick"/> resolution for items due up to <paramref name="horizon"/> ahead.</summary>
    public TimingWheel(TimeSpan tick, TimeSpan horizon, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tick, TimeSpan.Zero);
        _tickTicks = tick.Ticks;
        _slots = new List<T>[checked((int)Math.Ceiling(horizon / tick)) + 2];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = [];
        }

        _next = TickOf(now) + 1;
    }

    /// <summary>Items in the wheel, removed ones not yet skipped included.</summary>
    public int Count { get; private set; }

    /// <summary>Schedules <paramref name="item"/> for the first tick at or after <paramref name="due"/> (clamped to the horizon).</summary>
    public void Add(T item, DateTimeOffset due)
    {
        var tick = Math.Clamp(CeilingTickOf(due), _next, _next + _slots.Length - 1);
        _slots[(int)(tick % _slots.Length)].Add(item);
        Count++;
    }

    /// <summary>Moves every item due by <paramref name="now"/> into <paramref name="due"/>, in order of due tick.</summary>
    public void Advance(DateTimeOffset now, List<T> due)
    {
        var last = TickOf(now);

        // A stalled loop catches up with one turn of the wheel: every slot holds only items due within it.
        var first = Math.Max(_next, last - _slots.Length + 1);
        for (var tick = first; tick <= last; tick++)
        {
            var slot = _slots[(int)(tick % _slots.Length)];
            due.AddRange(slot);
            Count -= slot.Count;
            slot.Clear();
        }

        _next = Math.Max(_next, last + 1);
    }

    private long TickOf(DateTimeOffset time) => time.UtcTicks / _tickTicks;

    private long CeilingTickOf(DateTimeOffset time) => (time.UtcTicks + _tickTicks - 1) / _tickTicks;
}
