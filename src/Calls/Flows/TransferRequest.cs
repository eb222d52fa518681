namespace CallControl.Grains.Flows;

/// <summary>Which party of the call sent a REFER (the transferor).</summary>
public enum TransferParty : byte
{
    /// <summary>The party that placed the call: the one we answered.</summary>
    Caller,

    /// <summary>The party the call reached: the callee that answered.</summary>
    Callee,
}

/// <summary>
/// A party asked to transfer the call (a REFER, RFC 3515): the flow's <see cref="ICallFlow.OnTransferAsync"/> decides
/// whether it may. The other party (the transferee) stays; the transferor is released once the target answers.
/// </summary>
/// <param name="Transferor">Who sent the REFER.</param>
/// <param name="ReferTo">The transfer target as the REFER named it (its Refer-To URI, URI headers left out).</param>
/// <param name="ReferredBy">The REFER's Referred-By (RFC 3892), if any.</param>
/// <param name="Attended">The Refer-To names a dialog to replace (RFC 3891): the transferor already talks to the target.</param>
public sealed record TransferRequest(TransferParty Transferor, string ReferTo, string? ReferredBy, bool Attended);

/// <summary>A flow's answer to a <see cref="TransferRequest"/>: go ahead (optionally somewhere else), or refuse.</summary>
/// <param name="Allowed">The transfer goes ahead (202 to the REFER).</param>
/// <param name="Status">For a refusal, the REFER's final status (4xx–6xx; 403 by default).</param>
/// <param name="Reason">For a refusal, its reason phrase, if not the status's usual one.</param>
public sealed record TransferDecision(bool Allowed, int Status = 202, string? Reason = null)
{
    /// <summary>The target to dial instead of the REFER's (a flow that maps short numbers, say); null: the REFER's.</summary>
    public string? Target { get; init; }

    /// <summary>Allow the transfer to the REFER's target.</summary>
    public static TransferDecision Allow { get; } = new(true);

    /// <summary>Allow it, to <paramref name="target"/> instead.</summary>
    public static TransferDecision AllowTo(string target) => new(true) { Target = target };

    /// <summary>Refuse it: the REFER gets <paramref name="status"/> (403 Forbidden by default) and the call goes on as it was.</summary>
    public static TransferDecision Refuse(int status = 403, string? reason = null) => new(false, status is >= 400 and < 700 ? status : 403, reason);
}
