using CallControl.Grains;

namespace CallControl.Storage;

/// <summary>The words the cdr table stores for enums: the same camelCase words as the JSON form.</summary>
public static class CdrNames
{
    public static string Of(CallDisposition disposition) => disposition switch
    {
        CallDisposition.Answered => "answered",
        CallDisposition.Busy => "busy",
        CallDisposition.NoAnswer => "noAnswer",
        CallDisposition.Cancelled => "cancelled",
        CallDisposition.SessionExpired => "session-expired",
        _ => "failed",
    };

    public static string Of(HangupParty party) => party switch
    {
        HangupParty.Caller => "caller",
        HangupParty.Callee => "callee",
        HangupParty.System => "system",
        _ => "none",
    };
}
