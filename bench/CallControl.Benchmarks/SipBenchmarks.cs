using BenchmarkDotNet.Attributes;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Benchmarks;

/// <summary>
/// The SIP stack's hot path: parse, read the common headers, build a response. Copying the INVITE's bytes is
/// the baseline, so that each figure also reads as a ratio that machine noise moves less than the mean.
/// </summary>
[MemoryDiagnoser]
public class SipBenchmarks
{
    private readonly byte[] _invite = BenchMessages.Invite;
    private readonly byte[] _ok200 = BenchMessages.Ok200;
    private readonly byte[] _register = BenchMessages.Register;
    private readonly byte[] _scratch = new byte[BenchMessages.Invite.Length];
    private SipMessage _request = null!;

    [GlobalSetup]
    public void Setup() => _request = Parse(_invite);

    [Benchmark(Baseline = true)]
    public byte[] CopyInvite()
    {
        _invite.AsSpan().CopyTo(_scratch);
        return _scratch;
    }

    [Benchmark]
    public SipMessage ParseInvite() => Parse(_invite);

    [Benchmark]
    public SipMessage ParseOk200() => Parse(_ok200);

    [Benchmark]
    public SipMessage ParseRegister() => Parse(_register);

    [Benchmark]
    public int ParseInviteAndRead()
    {
        var m = Parse(_invite);
        var sum = m.CallId.Length + (int)m.CSeq.Number + m.From.Uri.Host.Length + m.To.Uri.Host.Length;
        sum += m.Vias.Count + m.TopVia.Host.Length + (m.MaxForwards ?? 0) + (m.ContentType?.Length ?? 0);
        sum += m.Addresses(HeaderId.Contact).Count + m.GetHeaders(HeaderId.Route).Count + m.GetHeaders(HeaderId.RecordRoute).Count;
        return sum + (m.RawValue(HeaderId.ContentLength).Length) + m.Body.Length;
    }

    [Benchmark]
    public byte[] Build180() => SipResponses.Create(_request, 180, toTag: "x").ToArray();

    [Benchmark]
    public byte[] Build200WithContact()
        => SipResponses.Create(_request, 200, toTag: "x").Add(HeaderId.Contact, "<sip:node1@192.0.2.1:5060;transport=udp>").ToArray();

    private static SipMessage Parse(byte[] bytes)
        => SipParser.TryParse(bytes, out var message, out var failure) ? message : throw new InvalidOperationException(failure.ToString());
}
