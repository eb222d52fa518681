using System.Text;
using CallControl.Media.Bencode;

namespace CallControl.Media.Tests.Bencode;

public sealed class BencodeRoundTripTests
{
    [Theory]
    [InlineData("4:spam")]
    [InlineData("0:")]
    [InlineData("i0e")]
    [InlineData("i-42e")]
    [InlineData("i9223372036854775807e")]
    [InlineData("i-9223372036854775808e")]
    [InlineData("le")]
    [InlineData("de")]
    [InlineData("l4:spami7el1:aee")]
    [InlineData("d3:cow3:moo4:spaml1:a1:bee")]
    [InlineData("d13:local address9:127.0.0.110:local porti7132ee")]
    public void Canonical_documents_decode_and_encode_back_byte_for_byte(string document)
    {
        var bytes = Encoding.UTF8.GetBytes(document);
        var value = BencodeReader.Decode(bytes);
        Assert.Equal(document, Encoding.UTF8.GetString(BencodeWriter.ToArray(value)));
    }

    [Fact]
    public void Dictionary_keys_are_sorted_by_bytes_when_encoding()
    {
        var dictionary = new BencodeDictionary { ["sdp"] = "v=0", ["command"] = "offer", ["call-id"] = "c1", ["ICE"] = "remove" };
        // "ICE" < "call-id" < "command" < "sdp": uppercase sorts before lowercase in byte order.
        Assert.Equal("d3:ICE6:remove7:call-id2:c17:command5:offer3:sdp3:v=0e", Encoding.UTF8.GetString(BencodeWriter.ToArray(dictionary)));
    }

    [Fact]
    public void String_lengths_count_bytes_not_characters()
    {
        var encoded = BencodeWriter.ToArray(new BencodeString("é\r\n"));
        Assert.Equal("4:é\r\n", Encoding.UTF8.GetString(encoded));
        Assert.Equal("é\r\n", BencodeReader.Decode(encoded).AsText());
    }

    [Fact]
    public void An_unsorted_reply_with_spaced_keys_decodes_as_rtpengine_sends_it()
    {
        // rtpengine writes keys in insertion order, not sorted (ECOSYSTEM.md §3), with spaces in them.
        var reply = "d7:createdi1796654703e11:last signali1796654703e4:SSRCde6:result2:oke"u8.ToArray();
        var dictionary = BencodeReader.Decode(reply).AsDictionary()!;
        Assert.Equal(["created", "last signal", "SSRC", "result"], dictionary.Entries.Keys);
        Assert.Equal(1796654703, dictionary.Integer("last signal"));
        Assert.Equal("ok", dictionary.Text("result"));
        Assert.Equal(0, dictionary.Dictionary("SSRC")!.Count);
    }

    [Fact]
    public void Byte_strings_reference_the_input_without_copying()
    {
        var input = "4:spam"u8.ToArray();
        var value = (BencodeString)BencodeReader.Decode(input);
        input[2] = (byte)'S';
        Assert.Equal("Spam", Encoding.ASCII.GetString(value.Bytes.Span));
    }

    [Fact]
    public void Numbers_rtpengine_sends_as_text_read_as_integers()
    {
        var dictionary = BencodeReader.Decode("d6:uptime1:6e"u8.ToArray()).AsDictionary()!;
        Assert.Equal(6, dictionary.Integer("uptime"));
    }
}
