using System.Buffers;

namespace CallControl.Fuzz;

/// <summary>A multi-segment <see cref="ReadOnlySequence{T}"/> over one buffer, as a PipeReader hands them out.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Splits <paramref name="data"/> into segments of <paramref name="size"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlyMemory<byte> data, int size)
    {
        if (data.Length <= size)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new Segments(data[..size], 0);
        var last = first;
        for (var start = size; start < data.Length; start += size)
        {
            var next = new Segments(data.Slice(start, Math.Min(size, data.Length - start)), start);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
