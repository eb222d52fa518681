using CallControl.Grains;
using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>
/// The callee answers 486 while the caller's CANCEL is in flight, both ways round (src/Calls/Machine/Phases/Ringing.cs
/// says what happens and why): whichever the call hears first decides it, and the other changes nothing.
/// </summary>
public sealed class CancelRaceTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    [Fact]
    public async Task The_cancel_first_ends_the_call_cancelled_and_the_crossing_486_changes_nothing()
    {
        var call = new CallScript(_calls, $"race-{Guid.NewGuid():N}@127.0.0.1");
        await call.InviteAsync();
        await call.CalleeRespondsAsync(180);

        var cancelled = await call.CallerCancelsAsync();
        var busy = await call.CalleeRespondsAsync(486);

        Assert.Equal([200, 487], cancelled.Where(c => c.Kind == SipCommandKind.Respond).Select(c => CallScript.Parse(c).StatusCode));
        Assert.Equal("CANCEL", CallScript.Parse(Assert.Single(cancelled, c => c.Kind == SipCommandKind.Request)).MethodName);
        Assert.Empty(busy);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal((CallDisposition.Cancelled, 487, HangupParty.Caller), (cdr.Disposition, cdr.FinalStatus, cdr.HungUpBy));
    }

    [Fact]
    public async Task The_486_first_reaches_the_caller_and_the_crossing_cancel_gets_200_alone()
    {
        var call = new CallScript(_calls, $"race-{Guid.NewGuid():N}@127.0.0.1");
        await call.InviteAsync();
        await call.CalleeRespondsAsync(180);

        var busy = await call.CalleeRespondsAsync(486);
        var cancelled = await call.CallerCancelsAsync();

        Assert.Equal(486, CallScript.Parse(Assert.Single(busy)).StatusCode);
        Assert.Equal(200, CallScript.Parse(Assert.Single(cancelled)).StatusCode);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal((CallDisposition.Busy, 486, HangupParty.None), (cdr.Disposition, cdr.FinalStatus, cdr.HungUpBy));
    }
}
