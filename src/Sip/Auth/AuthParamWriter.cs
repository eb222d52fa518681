using System.Text;
using CallControl.Sip.Headers;

namespace CallControl.Sip.Auth;

/// <summary>Writes "Digest name=value, name="value", ..." as it goes in an authentication header.</summary>
internal sealed class AuthParamWriter
{
    private readonly StringBuilder _builder = new("Digest ", 256);
    private bool _first = true;

    /// <summary>A parameter the grammar writes as a quoted-string (realm, nonce, username, uri, response...).</summary>
    public AuthParamWriter Quoted(string name, string? value)
    {
        if (value is not null)
        {
            Start(name, value);
            QuotedString.Append(_builder, value);
        }

        return this;
    }

    /// <summary>A parameter the grammar writes as a token (algorithm, qop, nc, stale); quoted if it is not one.</summary>
    public AuthParamWriter Token(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        if (!AuthSyntax.IsToken(value))
        {
            return Quoted(name, value);
        }

        Start(name, value);
        _builder.Append(value);
        return this;
    }

    public override string ToString() => _builder.ToString();

    private void Start(string name, string value)
    {
        if (AuthSyntax.HasControlCharacters(value))
        {
            throw new ArgumentException($"The {name} parameter holds a control character, which cannot go in a header.", nameof(value));
        }

        if (!_first)
        {
            _builder.Append(", ");
        }

        _first = false;
        _builder.Append(name).Append('=');
    }
}
