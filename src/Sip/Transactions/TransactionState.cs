namespace CallControl.Sip.Transactions;

/// <summary>The states of RFC 3261 §17 (Figures 5–8), with RFC 6026's Accepted.</summary>
public enum TransactionState : byte
{
    Calling,
    Trying,
    Proceeding,
    Accepted,
    Completed,
    Confirmed,
    Terminated,
}
