namespace CallControl.Sip.Dns;

/// <summary>One NAPTR record as RFC 3263 §4.1 uses it: its order and preference, its service ("SIP+D2U", ...), its flags and replacement (the SRV name).</summary>
public sealed record NaptrRecord(ushort Order, ushort Preference, string Flags, string Service, string Replacement);
