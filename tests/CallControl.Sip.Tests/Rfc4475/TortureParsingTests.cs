using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Tests.Rfc4475;

/// <summary>
/// RFC 4475's 49 torture messages at the parser: what must parse parses, every header reads and the message
/// re-serialises to an equivalent one; what must be rejected is rejected with the response the RFC names.
/// The reactions of a running node (416, 420, 415, ...) are tested end to end.
/// </summary>
public sealed class TortureParsingTests
{
    // Must parse: RFC 4475 §3.1.1 (valid), §3.2 and §3.3 (well formed; the node reacts to their content) and §3.4.
    public static TheoryData<string> Accepted => [.. TortureCase.All
        .Where(c => c.Class is "valid" or "compat" or "transaction" or "application")
        .Where(c => c.File is not ("insuf.dat" or "multi01.dat" or "mcl01.dat"))
        .Select(c => c.File)];

    // Must be rejected: file, status (0: dropped without a response), and a word the reason phrase must hold.
    public static TheoryData<string, int, string> Rejected => new()
    {
        { "badinv01.dat", 400, "Via" },
        { "clerr.dat", 400, "Content-Length" },
        { "ncl.dat", 400, "Content-Length" },
        { "scalar02.dat", 400, "CSeq" },
        { "scalarlg.dat", 0, "" },
        { "quotbal.dat", 400, "To" },
        { "ltgtruri.dat", 400, "Request-URI" },
        { "lwsruri.dat", 400, "Start Line" },
        { "lwsstart.dat", 400, "Start Line" },
        { "trws.dat", 400, "Start Line" },
        { "escruri.dat", 400, "Request-URI" },
        { "baddate.dat", 400, "Date" },
        { "regbadct.dat", 400, "Contact" },
        { "badaspec.dat", 400, "To" },
        { "baddn.dat", 400, "From" },
        { "badvers.dat", 505, "Version" },
        { "mismatch01.dat", 400, "CSeq" },
        { "mismatch02.dat", 400, "CSeq" },
        { "bigcode.dat", 0, "" },
        { "insuf.dat", 400, "Missing" },
        { "multi01.dat", 400, "Multiple" },
        { "mcl01.dat", 400, "Content-Length" },
    };

    [Fact]
    public void Every_case_in_the_archive_is_tested()
    {
        Assert.Equal(49, TortureCase.All.Count);
        var tested = Accepted.Cast<object[]>().Concat(Rejected.Cast<object[]>()).Select(row => (string)row[0]).ToHashSet();
        Assert.Equal(TortureCase.All.Select(c => c.File).ToHashSet(), tested);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Parses_reads_every_header_and_reserialises(string file)
    {
        var (message, failure, _) = TortureCase.Get(file).Receive();
        Assert.True(message is not null, $"{file}: {failure.Describe()}");
        Assert.Null(TortureCase.ReadEveryHeader(message));

        var copy = Reserialise(message);
        Assert.Equal(Canonical(message), Canonical(copy));
        Assert.Equal(message.Body.ToArray(), copy.Body.ToArray());
        Assert.Equal(message.IsRequest ? message.RequestUri : message.ReasonPhrase, copy.IsRequest ? copy.RequestUri : copy.ReasonPhrase);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Is_rejected_with_the_response_the_rfc_names(string file, int status, string reasonWord)
    {
        var (message, failure, response) = TortureCase.Get(file).Receive();
        Assert.Null(message);
        if (status == 0)
        {
            Assert.Null(response);
            return;
        }

        // The response echoes what the request had, so it may itself lack a header (insuf.dat): read its status line.
        Assert.NotNull(response);
        var statusLine = Encoding.UTF8.GetString(response).Split("\r\n")[0];
        Assert.Equal($"SIP/2.0 {status} {failure.Describe()}", statusLine);
        Assert.Contains(reasonWord, failure.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dblreq_handles_the_register_and_ignores_the_trailing_octets()
    {
        var (message, _, _) = TortureCase.Get("dblreq.dat").Receive();
        Assert.Equal(SipMethod.Register, message!.Method);
        Assert.Equal(0, message.Body.Length);
    }

    [Fact]
    public void Esc02_is_an_unknown_method_with_an_extension_header_not_a_register()
    {
        var (message, _, _) = TortureCase.Get("esc02.dat").Receive();
        Assert.Equal(SipMethod.Unknown, message!.Method);
        Assert.Equal("RE%47IST%45R", message.MethodName);
        Assert.Equal(2, message.Addresses(HeaderId.Contact).Count);
        Assert.Equal("<sip:alias2@host2.example.com>", message.GetHeader("C%6Fntact"));
    }

    [Fact]
    public void Semiuri_keeps_the_escaped_at_inside_the_user_part()
    {
        var (message, _, _) = TortureCase.Get("semiuri.dat").Receive();
        var uri = SipUri.Parse(message!.RequestUri);
        Assert.Equal("user;par=u%40example.net", uri.User);
        Assert.Equal("example.com", uri.Host);
    }

    [Fact]
    public void Cparam_contacts_keep_header_and_uri_parameters_apart()
    {
        var bare = Assert.Single(TortureCase.Get("cparam01.dat").Receive().Message!.Addresses(HeaderId.Contact));
        Assert.False(bare.Uri.Parameters.Contains("unknownparam"));
        Assert.True(bare.Parameters.Contains("unknownparam"));

        var bracketed = Assert.Single(TortureCase.Get("cparam02.dat").Receive().Message!.Addresses(HeaderId.Contact));
        Assert.True(bracketed.Uri.Parameters.Contains("unknownparam"));
    }

    [Fact]
    public void Mpart01_frames_a_binary_body_strictly_by_content_length()
    {
        var (message, _, _) = TortureCase.Get("mpart01.dat").Receive();
        Assert.Equal(int.Parse(message!.GetHeader(HeaderId.ContentLength)!, System.Globalization.CultureInfo.InvariantCulture), message.Body.Length);
        Assert.Contains((byte)0, message.Body.ToArray());
    }

    [Fact]
    public void Unreason_keeps_a_utf8_reason_phrase_and_noreason_an_empty_one()
    {
        Assert.Equal(200, TortureCase.Get("unreason.dat").Receive().Message!.StatusCode);
        Assert.NotEqual("OK", TortureCase.Get("unreason.dat").Receive().Message!.ReasonPhrase);
        Assert.Equal("", TortureCase.Get("noreason.dat").Receive().Message!.ReasonPhrase);
    }

    [Fact]
    public void Inv2543_is_accepted_with_its_body_running_to_the_end()
    {
        var case2543 = TortureCase.Get("inv2543.dat");
        var (message, _, _) = case2543.Receive();
        Assert.Null(message!.From.Tag);
        Assert.Null(message.MaxForwards);
        Assert.True(message.Body.Length > 0);
        Assert.EndsWith(Encoding.ASCII.GetString(message.Body.Span), Encoding.ASCII.GetString(case2543.Bytes), StringComparison.Ordinal);
    }

    // Header lines by canonical name (a compact form re-serialises in full) and value, Content-Length aside.
    private static List<(string, string)> Canonical(SipMessage message)
        => [.. message.HeaderLines()
            .Select(h => (Name: HeaderTable.Get(HeaderTable.Lookup(h.Name))?.Name ?? h.Name, h.Value))
            .Where(h => h.Name != "Content-Length")];

    private static SipMessage Reserialise(SipMessage message)
    {
        var builder = message.IsRequest
            ? SipMessageBuilder.Request(message.MethodName, message.RequestUri)
            : SipMessageBuilder.Response(message.StatusCode, message.ReasonPhrase);
        var bytes = builder.CopyAllExcept(message, []).Body(message.Body, contentType: null).ToArray();
        Assert.True(SipParser.TryParse(bytes, out var copy, out var failure), failure.Describe());
        return copy;
    }
}
