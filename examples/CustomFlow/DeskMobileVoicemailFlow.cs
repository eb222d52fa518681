using CallControl.Grains.Flows;
using CallControl.Sip.Headers;

namespace CallControl.Examples.CustomFlow;

/// <summary>
/// "Ring the desk phone, then the mobile, then voicemail": the desk for <c>deskSeconds</c> (skipped while its owner
/// has do-not-disturb on, a grain of this host), the mobile for <c>mobileSeconds</c>, then voicemail's URI, which
/// answers. Busy or no answer moves the hunt on; a route row names it:
/// <c>{"owner":"alice","desk":"sip:alice-desk@pbx","mobile":"sip:+4917012345@trunk","voicemail":"sip:vm-alice@vm"}</c>.
/// </summary>
public sealed class DeskMobileVoicemailFlow : ICallFlow
{
    /// <summary>The name routes use.</summary>
    public const string Name = "desk-mobile-voicemail";

    /// <summary>The route's parameters.</summary>
    public sealed record Parameters(string Owner, string Desk, string Mobile, string Voicemail, int DeskSeconds = 15, int MobileSeconds = 20);

    /// <inheritdoc />
    public async ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
    {
        var parameters = call.Parameters<Parameters>();
        var state = call.State<HuntState>();
        if (await call.Grains.GetGrain<IDoNotDisturbGrain>(parameters.Owner).IsOn())
        {
            state.Step = Step.Mobile; // the desk would only ring an empty office
            return FlowAction.Ring(new DialTarget(parameters.Mobile), TimeSpan.FromSeconds(parameters.MobileSeconds));
        }

        state.Step = Step.Desk;
        return FlowAction.Ring(new DialTarget(parameters.Desk), TimeSpan.FromSeconds(parameters.DeskSeconds));
    }

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
    {
        var parameters = call.Parameters<Parameters>();
        var state = call.State<HuntState>();
        FlowAction next = state.Step switch
        {
            Step.Desk => FlowAction.Ring(new DialTarget(parameters.Mobile), TimeSpan.FromSeconds(parameters.MobileSeconds)),
            Step.Mobile => FlowAction.Ring(new DialTarget(parameters.Voicemail) { Headers = new Dictionary<string, string> { ["Diversion"] = $"<{parameters.Desk}>;reason=no-answer" } }),
            _ => FlowAction.Fail, // voicemail itself failed: the caller hears why
        };
        state.Step++;
        return ValueTask.FromResult(next);
    }

    /// <inheritdoc />
    public IEnumerable<string> ValidateParameters(string? parameters)
    {
        var parsed = string.IsNullOrWhiteSpace(parameters) ? null : CallFlowContext.ParseParameters<Parameters>(parameters);
        if (parsed is null)
        {
            yield return "parameters: owner, desk, mobile and voicemail are required";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(parsed.Owner))
        {
            yield return "owner: required (whose do-not-disturb applies)";
        }

        foreach (var (field, uri) in new[] { ("desk", parsed.Desk), ("mobile", parsed.Mobile), ("voicemail", parsed.Voicemail) })
        {
            if (!SipUri.TryParse(uri ?? "", out var parsedUri) || !parsedUri.IsSip)
            {
                yield return $"{field}: '{uri}' is not a SIP URI";
            }
        }

        if (parsed.DeskSeconds is < 1 or > 300 || parsed.MobileSeconds is < 1 or > 300)
        {
            yield return "deskSeconds/mobileSeconds: between 1 and 300";
        }
    }
}

/// <summary>Where the hunt is; persisted with the call, so it goes on from another silo after a failure.</summary>
[GenerateSerializer, Alias("example.desk-mobile-voicemail.state")]
public sealed class HuntState
{
    [Id(0)] public Step Step { get; set; }
}

/// <summary>The hunt's steps, in order.</summary>
public enum Step
{
    Desk,
    Mobile,
    Voicemail,
    Done,
}
