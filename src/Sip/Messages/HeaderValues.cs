using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Messages;

/// <summary>
/// Enumerates a header's values without allocating: every line of the header, and for list headers
/// (<see cref="HeaderArity.List"/>) every comma-separated element of each line.
/// </summary>
public readonly struct HeaderValues(SipMessage message, HeaderId id)
{
    /// <summary>Starts the enumeration.</summary>
    public Enumerator GetEnumerator() => new(message, id);

    /// <summary>Walks header lines, then elements within a line.</summary>
    public struct Enumerator
    {
        private readonly SipMessage _message;
        private readonly HeaderId _id;
        private readonly bool _split;
        private int _line;
        private ReadOnlyMemory<byte> _rest;

        internal Enumerator(SipMessage message, HeaderId id)
        {
            _message = message;
            _id = id;
            _split = HeaderTable.Get(id)?.Arity == HeaderArity.List;
            _line = -1;
            _rest = default;
            Current = default;
        }

        /// <summary>The current value, trimmed.</summary>
        public ReadOnlyMemory<byte> Current { get; private set; }

        /// <summary>Advances to the next value.</summary>
        public bool MoveNext()
        {
            while (true)
            {
                if (!_rest.IsEmpty)
                {
                    var comma = _split ? ByteScan.IndexOfTopLevelComma(_rest.Span) : -1;
                    var element = comma < 0 ? _rest : _rest[..comma];
                    _rest = comma < 0 ? default : _rest[(comma + 1)..];
                    element = ByteScan.Trim(element);
                    if (!element.IsEmpty)
                    {
                        Current = element;
                        return true;
                    }

                    continue;
                }

                _line = _message.IndexOf(_id, _line + 1);
                if (_line < 0)
                {
                    return false;
                }

                _rest = _message.ValueMemory(_message.Field(_line));
                if (_rest.IsEmpty)
                {
                    Current = default;
                    return true;
                }
            }
        }
    }
}
