namespace CallControl.Grains.Flows;

/// <summary>
/// A call flow: the logic that decides where a call goes (forwarding, hunt groups, time of day, screening, ...).
/// The dialog grain owns the SIP — legs, transactions, timers, CANCELs, the CDR — and asks the flow at each
/// decision; the flow answers with a <see cref="FlowAction"/>. See docs/call-flows.md.
/// </summary>
/// <remarks>
/// One instance serves every call (register it with <c>AddCallFlow</c>): keep per-call data in
/// <see cref="CallFlowContext.State{T}"/>, which is persisted with the call, so a flow in the middle of a hunt goes on
/// from another silo after a failure. Methods run inside the call's grain turn: one at a time per call, and they may
/// call other grains (a balance, a schedule) through <see cref="CallFlowContext.Grains"/>.
/// </remarks>
public interface ICallFlow
{
    /// <summary>A new call: the first thing to do.</summary>
    ValueTask<FlowAction> OnCallAsync(CallFlowContext call);

    /// <summary>The last <see cref="Dial"/> got no answer: what next (another dial, a rejection, or give up).</summary>
    ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome);

    /// <summary>A target answered; the call is up. Nothing more to decide, but a flow may record it.</summary>
    ValueTask OnAnsweredAsync(CallFlowContext call, DialTarget answeredBy) => ValueTask.CompletedTask;

    /// <summary>
    /// A party of the answered call asked to transfer it (REFER, RFC 3515; docs/call-flows.md, "Transfers"): allow it
    /// (optionally to another target) or refuse it (the REFER gets 403 or the status given). By default every transfer
    /// is allowed. The target is dialled through the dial plan like any call's.
    /// </summary>
    ValueTask<TransferDecision> OnTransferAsync(CallFlowContext call, TransferRequest transfer) => ValueTask.FromResult(TransferDecision.Allow);

    /// <summary>The call is over and its CDR durable (a prepaid flow charges it here).</summary>
    ValueTask OnEndedAsync(CallFlowContext call, CallEnd end) => ValueTask.CompletedTask;

    /// <summary>
    /// Checks a route's parameters (its JSON) when the dial plan loads it: each problem as "field: what is wrong".
    /// Nothing returned: the parameters are good.
    /// </summary>
    IEnumerable<string> ValidateParameters(string? parameters) => [];
}
