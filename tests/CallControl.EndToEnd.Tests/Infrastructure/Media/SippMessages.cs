namespace CallControl.EndToEnd.Tests.Infrastructure.Media;

/// <summary>
/// What a sipp run with <c>-trace_msg -message_file PATH</c> received, read back from that file: each message with a
/// body (its SDP, for the media tests), in the order they came, retransmissions included.
/// </summary>
internal static class SippMessages
{
    private const string Separator = "----------------------------------------------- ";

    /// <summary>The messages received that have a body.</summary>
    public static IReadOnlyList<SippMessage> ReceivedWithBody(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var received = new List<SippMessage>();
        foreach (var entry in text.Split("\n" + Separator).Select(e => e.StartsWith(Separator, StringComparison.Ordinal) ? e[Separator.Length..] : e))
        {
            // An entry: its timestamp line, "UDP message received [n] bytes :" or "... sent (n bytes):", a blank line, the message.
            var lines = entry.Split('\n', 3);
            if (lines.Length < 3 || !lines[1].Contains("message received", StringComparison.Ordinal))
            {
                continue;
            }

            var message = lines[2].TrimStart('\n');
            var end = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var body = end < 0 ? "" : message[(end + 4)..].TrimEnd('\n');
            if (body.Length > 0)
            {
                var head = message[..end].Split("\r\n");
                var cseq = head.FirstOrDefault(h => h.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase))?["CSeq:".Length..].Trim() ?? "";
                received.Add(new SippMessage(head[0], cseq, body));
            }
        }

        return received;
    }
}

/// <summary>A message sipp received: its start line, its CSeq ("2 INVITE") and its body.</summary>
internal sealed record SippMessage(string StartLine, string CSeq, string Body);
