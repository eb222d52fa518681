namespace CallControl.Calls.Tests;

public sealed class SdpVersionTests
{
    [Theory]
    [InlineData("v=0\r\no=- 1545997027 1 IN IP4 10.0.0.1\r\ns=-\r\n", 1, "v=0\r\no=- 1545997027 2 IN IP4 10.0.0.1\r\ns=-\r\n")]
    [InlineData("o=alice 2890844526 2890844526 IN IP4 host\r\n", 3, "o=alice 2890844526 2890844529 IN IP4 host\r\n")]
    [InlineData("v=0\no=bob 1 18446744073709551614 IN IP4 h\n", 1, "v=0\no=bob 1 18446744073709551615 IN IP4 h\n")]
    public void The_session_version_grows_by_the_moves(string sdp, int by, string expected)
        => Assert.Equal(expected, SdpVersion.Raise(sdp, by));

    [Theory]
    [InlineData("v=0\r\no=x\r\ns=")] // no version field
    [InlineData("v=0\r\no=a b notanumber IN IP4 h\r\n")]
    [InlineData("v=0\r\ns=no origin\r\n")]
    [InlineData("")]
    public void An_sdp_without_a_version_to_raise_is_left_as_it_is(string sdp)
        => Assert.Equal(sdp, SdpVersion.Raise(sdp, 2));

    [Fact]
    public void No_moves_change_nothing()
        => Assert.Equal("o=a 1 5 IN IP4 h", SdpVersion.Raise("o=a 1 5 IN IP4 h", 0));
}
