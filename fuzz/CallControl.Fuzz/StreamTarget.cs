using System.Buffers;
using CallControl.Sip.Transport;

namespace CallControl.Fuzz;

/// <summary>
/// The "stream" target: the input as the bytes of a TCP connection. StreamFramer.TryFrame must never throw, must
/// take off exactly what it reports (nothing on NeedMore or Invalid), and must frame the same way however the
/// bytes are split into segments; every framed message then goes through the "sip" checks as a stream message.
/// </summary>
public static class StreamTarget
{
    // Small and odd, so that segment boundaries fall inside CRLFs, header names and Content-Length values.
    private const int SegmentSize = 7;

    /// <summary>Runs one input.</summary>
    public static void Run(ReadOnlyMemory<byte> input)
    {
        var whole = Frame(new ReadOnlySequence<byte>(input), parse: true);
        var segmented = Frame(Segments.Split(input, SegmentSize), parse: false);
        if (!whole.SequenceEqual(segmented))
        {
            throw new InvalidOperationException(
                $"Framing depends on segmentation: [{string.Join(", ", whole)}] in one segment, [{string.Join(", ", segmented)}] in {SegmentSize}-byte segments.");
        }
    }

    private static List<(FrameStatus Status, int Length)> Frame(ReadOnlySequence<byte> buffer, bool parse)
    {
        var frames = new List<(FrameStatus, int)>();
        while (true)
        {
            var before = buffer.Length;
            var status = StreamFramer.TryFrame(ref buffer, out var message);
            var taken = before - buffer.Length;
            frames.Add((status, (int)taken));
            switch (status)
            {
                case FrameStatus.NeedMore or FrameStatus.Invalid when taken != 0:
                    throw new InvalidOperationException($"{status} took {taken} bytes off the buffer.");
                case FrameStatus.NeedMore or FrameStatus.Invalid:
                    return frames;
                case FrameStatus.Message when taken != message.Length:
                    throw new InvalidOperationException($"A {message.Length}-byte message took {taken} bytes off the buffer.");
                case FrameStatus.Ping or FrameStatus.Pong or FrameStatus.Message when taken <= 0:
                    throw new InvalidOperationException($"{status} took nothing off the buffer.");
                case FrameStatus.Message when parse:
                    SipTarget.Check(message, isStream: true);
                    break;
                default:
                    break;
            }
        }
    }
}
