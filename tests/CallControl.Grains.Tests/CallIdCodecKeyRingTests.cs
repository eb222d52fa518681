using CallControl.Grains;

namespace CallControl.Grains.Tests;

/// <summary>The codec's key ring: the current secret encodes, previous secrets still decode, dropped ones do not.</summary>
public sealed class CallIdCodecKeyRingTests
{
    [Fact]
    public void A_call_id_made_under_a_previous_secret_decodes_after_the_rotation()
    {
        using var before = new CallIdCodec("secret-a");
        using var after = new CallIdCodec("secret-b", ["secret-a"]);
        var madeBefore = before.Encode("1234@alice.example.com");

        Assert.Equal("1234@alice.example.com", after.TryDecode(madeBefore));
    }

    [Fact]
    public void The_current_secret_encodes_so_a_node_not_yet_rotated_decodes_only_once_it_lists_it_as_previous()
    {
        using var after = new CallIdCodec("secret-b", ["secret-a"]);
        using var notYetRotated = new CallIdCodec("secret-a");
        using var preparing = new CallIdCodec("secret-a", ["secret-b"]); // step 1 of a rotation: B accepted before it is used
        var madeAfter = after.Encode("5678@bob.example.com");

        Assert.Null(notYetRotated.TryDecode(madeAfter));
        Assert.Equal("5678@bob.example.com", preparing.TryDecode(madeAfter));
        Assert.Equal("5678@bob.example.com", after.TryDecode(madeAfter));
    }

    [Fact]
    public void Every_previous_secret_is_tried_in_turn_and_a_dropped_one_no_longer_decodes()
    {
        using var oldest = new CallIdCodec("secret-a");
        using var middle = new CallIdCodec("secret-b");
        using var ring = new CallIdCodec("secret-c", ["secret-b", "secret-a"]);
        using var dropped = new CallIdCodec("secret-c", ["secret-b"]);
        var underA = oldest.Encode("a@example.com");
        var underB = middle.Encode("b@example.com");

        Assert.Equal("a@example.com", ring.TryDecode(underA));
        Assert.Equal("b@example.com", ring.TryDecode(underB));
        Assert.Null(dropped.TryDecode(underA));
        Assert.Equal("b@example.com", dropped.TryDecode(underB));
    }

    [Fact]
    public void Foreign_and_tampered_call_ids_still_decode_under_no_key()
    {
        using var ring = new CallIdCodec("secret-b", ["secret-a"]);
        using var stranger = new CallIdCodec("secret-z");
        var ours = ring.Encode("abc@example.com");
        var tampered = ours[..^2] + (ours[^2] == 'A' ? "B" : "A") + ours[^1];

        Assert.Null(ring.TryDecode(stranger.Encode("abc@example.com")));
        Assert.Null(ring.TryDecode(tampered));
        Assert.Null(ring.TryDecode("b2" + new string('A', 40)));
        Assert.Null(ring.TryDecode("abc@example.com"));
    }

    [Fact]
    public void An_empty_previous_secret_is_refused()
        => Assert.Throws<ArgumentException>(() => new CallIdCodec("secret-b", ["secret-a", ""]));

    [Fact]
    public void Decoding_under_the_current_secret_allocates_only_the_result()
    {
        using var ring = new CallIdCodec("secret-c", ["secret-b", "secret-a"]);
        using var plain = new CallIdCodec("secret-c");
        var callId = ring.Encode("1234@alice.example.com");
        _ = ring.TryDecode(callId); // this thread's AES-GCM instance, made once
        _ = plain.TryDecode(callId);

        var ringBytes = Allocated(() => ring.TryDecode(callId));
        var plainBytes = Allocated(() => plain.TryDecode(callId));

        Assert.Equal(plainBytes, ringBytes); // a key ring costs nothing on the common path
    }

    private static long Allocated(Func<string?> decode)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.NotNull(decode());
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
