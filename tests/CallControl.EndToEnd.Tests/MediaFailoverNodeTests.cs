using System.Diagnostics;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Media.Ng;
using CallControl.Media.Tests.Infrastructure;
using CallControl.Sip.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static CallControl.EndToEnd.Tests.Infrastructure.UdpCalls;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// An rtpengine SIGKILLed under held calls (docs/media.md, "When an rtpengine dies"): the node finds it dead by its
/// pings, and every call that was on it moves to the other rtpengine, each party told by a re-INVITE; media flows
/// again within the target, no call is dropped, the calls on the other rtpengine never notice, and every call ends
/// with its CDR on the rtpengine that carried it last.
/// </summary>
public sealed class MediaFailoverNodeTests(ITestOutputHelper output)
{
    private const int Calls = 6;

    /// <summary>The target is 2 s; the test allows for a loaded CI machine and prints what it measured.</summary>
    private static readonly TimeSpan GapLimit = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Calls_on_a_killed_rtpengine_move_to_another_and_their_media_flows_again_within_the_target()
    {
        await using var first = await RtpengineProcess.StartAsync();
        await using var second = await RtpengineProcess.StartAsync();
        using var calleeForNode = new UdpPhone(0);
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{calleeForNode.LocalPort}", new Dictionary<string, string>
        {
            ["CallControl__Media__Mode"] = "anchor",
            ["CallControl__Media__Rtpengine__0__Address"] = first.Address.ToString(),
            ["CallControl__Media__Rtpengine__1__Address"] = second.Address.ToString(),
        });
        calleeForNode.NodePort = node.SipPort;
        var calls = new List<HeldCall>();
        try
        {
            // The node's default target sends every call to one callee phone; a caller phone per call keeps the
            // calls' dialogs apart on the caller's side.
            for (var i = 0; i < Calls; i++)
            {
                calls.Add(await HeldCall.PlaceAsync(node.SipPort, calleeForNode, $"move-{i}-{Guid.NewGuid():N}"));
            }

            using var ng = new NgClient(new NgRetry(TimeSpan.FromSeconds(1), 3), TimeProvider.System, NullLogger<NgClient>.Instance);
            var onFirst = (await ng.ListAsync(first.Address)).ToHashSet();
            var onSecond = (await ng.ListAsync(second.Address)).ToHashSet();
            Assert.Equal(Calls, onFirst.Count + onSecond.Count);
            var (dying, survivor, moving) = onFirst.Count >= onSecond.Count ? (first, second, onFirst) : (second, first, onSecond);
            var moved = calls.Where(c => moving.Contains(c.CallId)).ToList();
            var stayed = calls.Except(moved).ToList();
            var started = Stopwatch.GetTimestamp();
            foreach (var call in calls)
            {
                Assert.True(await call.FlowsAsync(10, started), $"media did not flow for call {call.CallId} before the kill");
            }

            var killedAt = Stopwatch.GetTimestamp();
            await dying.KillAsync();

            // The callee phone gets a re-INVITE per moved call, in any order; each caller phone gets its own.
            var calleeReinvites = new Dictionary<string, SipMessage>();
            for (var i = 0; i < moved.Count; i++)
            {
                var reinvite = await NextAsync(calleeForNode, m => m.Method == SipMethod.Invite);
                calleeReinvites[reinvite.CallId] = reinvite;
            }

            var toldAfter = Stopwatch.GetElapsedTime(killedAt);
            foreach (var call in moved)
            {
                await call.TakeReinvitesAsync(calleeForNode, calleeReinvites.Values.Single(call.IsCalleeLeg), survivor);
            }

            var afterMove = Stopwatch.GetTimestamp();
            foreach (var call in calls)
            {
                Assert.True(await call.FlowsAsync(25, afterMove), $"media did not flow again for call {call.CallId}");
            }

            var gaps = moved.Select(c => c.LongestGapSince(killedAt)).ToList();
            var untouched = stayed.Select(c => c.LongestGapSince(killedAt)).DefaultIfEmpty(TimeSpan.Zero).Max();
            output.WriteLine($"rtpengine-kill: {moved.Count} of {Calls} calls moved; re-INVITEs {toldAfter.TotalSeconds:F2} s after the kill; media gap per moved call max {gaps.Max().TotalSeconds:F2} s, mean {gaps.Average(g => g.TotalSeconds):F2} s; the others' longest gap {untouched.TotalSeconds:F2} s");
            Assert.All(gaps, gap => Assert.True(gap <= GapLimit, $"a media gap of {gap.TotalSeconds:F2} s"));
            Assert.True(untouched < TimeSpan.FromSeconds(1), $"a call on the surviving rtpengine lost media for {untouched.TotalSeconds:F2} s");

            foreach (var call in calls)
            {
                await call.HangUpAsync(calleeForNode);
            }

            foreach (var call in calls)
            {
                var media = Assert.Single(await node.WaitForCdrsAsync(call.CallId)).Media;
                Assert.NotNull(media);
                Assert.Equal(survivor.Address.ToString(), media.Engine);
                Assert.True(media.FromCaller.Packets > 0 && media.FromCallee.Packets > 0);
            }

            Assert.Empty(await ng.ListAsync(survivor.Address));
        }
        catch
        {
            output.WriteLine(node.Output); // what the node did about the dead rtpengine
            throw;
        }
        finally
        {
            calls.ForEach(c => c.Dispose());
        }
    }
}
