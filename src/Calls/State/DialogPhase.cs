namespace CallControl.Calls;

/// <summary>Where a call is in its life. Persisted: append only.</summary>
public enum DialogPhase : byte
{
    /// <summary>No INVITE seen yet.</summary>
    None,

    /// <summary>The callee-leg INVITE is out; no provisional response yet.</summary>
    Calling,

    /// <summary>The callee sent a provisional response (early dialog).</summary>
    Early,

    /// <summary>The callee answered and the 200 was relayed; the caller's ACK is awaited.</summary>
    Answered,

    /// <summary>The caller's ACK arrived: the call is up.</summary>
    Confirmed,

    /// <summary>The call is over and its CDR written; late retransmissions are still answered.</summary>
    Ended,
}
