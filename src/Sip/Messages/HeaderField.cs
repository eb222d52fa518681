using CallControl.Sip.Headers;

namespace CallControl.Sip.Messages;

/// <summary>
/// One header line as offsets into the message buffer: the index the parser builds before anything is read.
/// Eight bytes, because a SIP message is at most 64 KiB (<see cref="Parsing.SipLimits.MaxMessageBytes"/>).
/// </summary>
internal readonly record struct HeaderField(HeaderId Id, byte NameLength, ushort NameStart, ushort ValueStart, ushort ValueLength);
