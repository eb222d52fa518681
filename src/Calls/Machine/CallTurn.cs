namespace CallControl.Calls;

/// <summary>
/// One input run through a call's machine to its end, by its host: each step's CDR, flow news and save carried out
/// in that order, each question answered with the next input. The messages of all the steps come back together, to
/// go out only after what makes them durable.
/// </summary>
public static class CallTurn
{
    /// <summary>Runs <paramref name="input"/> through <paramref name="machine"/> with <paramref name="host"/>; returns the messages to send.</summary>
    public static async Task<List<SipCommand>> RunAsync(CallMachine machine, CallInput input, ICallHost host)
    {
        var step = machine.Handle(input, host.Now);
        var commands = step.Commands;
        while (true)
        {
            if (step.Cdr is { } cdr)
            {
                await host.WriteCdrAsync(cdr);
                machine.State.CdrWritten = true;
            }

            if (step.AnsweredBy is { } target)
            {
                await host.TellAnsweredAsync(target);
            }

            if (step.Ended is { } end)
            {
                await host.TellEndedAsync(end);
            }

            var stored = !step.Save || await host.SaveAsync();
            if (step.Question is not { } question)
            {
                return commands;
            }

            CallInput answer;
            try
            {
                answer = question switch
                {
                    RouteQuestion route => new Routed(await host.RouteAsync(route.Dialled, route.Caller)),
                    FlowQuestion flow => new FlowDecided(await host.DecideAsync(flow.Outcome)),
                    MediaQuestion media => new MediaDone(await host.MediaAsync(media.Request)),
                    AuthQuestion auth => new Authorized(await host.AuthorizeAsync(auth)),
                    _ => new StateSaved(stored, host.EverStored),
                };
            }
            catch
            {
                // No answer will come (a registrar on a silo that just died, a store that timed out): the turn fails,
                // nothing of it is sent, and the machine must not wait on, or the edge's retry of this very input
                // would find it still asking and fail too, and so would every message of the call after it.
                machine.Abandon();
                throw;
            }

            step = machine.Handle(answer, host.Now);
            commands.AddRange(step.Commands);
        }
    }
}
