using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// A fake clock that says when a timer is armed, so a test advances time only once the timer it means to fire exists
/// (a grain call's timeout is armed on another thread than the test's, right after the call is made).
/// </summary>
internal sealed class SignallingClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _armed.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer due in <paramref name="dueTime"/> has been armed.</summary>
    public async Task ArmedAsync(TimeSpan dueTime)
    {
        while (await _armed.Reader.ReadAsync().AsTask().WaitAsync(RouterHarness.Patience) != dueTime)
        {
            // another timer (a transaction's): not the one awaited
        }
    }
}
