using CallControl.Grains;

namespace CallControl.Grains.Tests;

public sealed class CallIdCodecTests
{
    [Fact]
    public void The_callee_leg_call_id_decodes_to_the_callers_and_reveals_nothing_of_it()
    {
        using var codec = new CallIdCodec("secret-a");
        var callee = codec.Encode("1234@alice.example.com");

        Assert.DoesNotContain("alice", callee, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]+$", callee); // RFC 3261 word characters
        Assert.Equal("1234@alice.example.com", codec.TryDecode(callee));
        Assert.NotEqual(callee, codec.Encode("1234@alice.example.com")); // a fresh nonce every call
    }

    [Fact]
    public void Foreign_tampered_and_other_clusters_call_ids_do_not_decode()
    {
        using var codec = new CallIdCodec("secret-a");
        using var other = new CallIdCodec("secret-b");
        var callee = codec.Encode("abc@example.com");
        var tampered = callee[..^2] + (callee[^2] == 'A' ? "B" : "A") + callee[^1];

        Assert.Null(codec.TryDecode("abc@example.com"));
        Assert.Null(codec.TryDecode("b2" + new string('A', 40)));
        Assert.Null(codec.TryDecode(tampered));
        Assert.Null(other.TryDecode(callee));
    }
}
