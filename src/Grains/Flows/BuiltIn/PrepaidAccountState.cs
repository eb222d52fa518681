namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>A prepaid account's persisted state, and the changes made to it. Ids are append only.</summary>
[GenerateSerializer, Alias("cc.prepaid-account-state")]
public sealed class PrepaidAccountState
{
    /// <summary>The seconds left.</summary>
    [Id(0)] public long BalanceSeconds { get; set; }

    /// <summary>The Call-IDs of the calls charged last, oldest first (at most <see cref="PrepaidAccountGrain.RememberedCharges"/>).</summary>
    [Id(1)] public List<string> Charged { get; set; } = [];

    /// <summary>The opening credit has been given (see <see cref="IPrepaidAccountGrain.Open"/>).</summary>
    [Id(2)] public bool Opened { get; set; }

    /// <summary>
    /// Takes <paramref name="seconds"/> for call <paramref name="callId"/> unless that call is among the charges
    /// remembered (the last <paramref name="remembered"/>); true when it was taken now.
    /// </summary>
    public bool Charge(string callId, long seconds, int remembered)
    {
        if (Charged.Contains(callId))
        {
            return false;
        }

        BalanceSeconds = checked(BalanceSeconds - seconds);
        Charged.Add(callId);
        if (Charged.Count > remembered)
        {
            Charged.RemoveRange(0, Charged.Count - remembered);
        }

        return true;
    }
}
