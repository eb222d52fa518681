using CallControl.Grains.Flows;

namespace CallControl.Calls.Tests;

/// <summary>
/// A flow for the transfer tests' decisions (set on an answered call's state): a REFER to user 1 goes to 9000 instead
/// (<see cref="TransferDecision.AllowTo"/>), any other is refused with 403. It places no calls of its own.
/// </summary>
public sealed class TransferPolicyFlow : ICallFlow
{
    public const string Name = "transfer-policy";

    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call) => ValueTask.FromResult<FlowAction>(FlowAction.Fail);

    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome) => ValueTask.FromResult<FlowAction>(FlowAction.Fail);

    public ValueTask<TransferDecision> OnTransferAsync(CallFlowContext call, TransferRequest transfer)
        => ValueTask.FromResult(transfer.ReferTo.StartsWith("sip:1@", StringComparison.Ordinal)
            ? TransferDecision.AllowTo("sip:9000@127.0.0.1")
            : TransferDecision.Refuse());
}
