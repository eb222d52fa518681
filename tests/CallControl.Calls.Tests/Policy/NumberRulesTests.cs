using CallControl.Grains.Routing;

namespace CallControl.Calls.Tests;

/// <summary>Number normalisation (docs/interop.md, "Number normalisation"): strip a prefix, add one; the longest matching strip wins.</summary>
public sealed class NumberRulesTests
{
    private static readonly NumberRule[] UkToE164 = [new("0", "+44"), new("00", "+")];

    [Theory]
    [InlineData("02079460000", "+442079460000")] // national
    [InlineData("0033142685300", "+33142685300")] // international: 00 is longer than 0
    [InlineData("+442079460000", "+442079460000")] // already E.164: no rule starts it
    [InlineData("1000", "1000")] // an extension no rule matches
    [InlineData("alice", "alice")] // no number
    [InlineData("020-7946-0000", "+442079460000")] // RFC 3966 visual separators dropped
    [InlineData("(020) 79460000", "(020) 79460000")] // a space is no visual separator of a SIP user: not a number
    [InlineData("0207;npdi", "0207;npdi")] // user parameters: not a bare number, left alone
    [InlineData("", "")]
    [InlineData(null, null)]
    public void A_uk_number_becomes_e164(string? user, string? expected)
        => Assert.Equal(expected, NumberRules.Normalise(UkToE164, user));

    [Fact]
    public void E164_becomes_national_for_a_trunk_that_wants_it()
        => Assert.Equal("02079460000", NumberRules.Normalise([new NumberRule("+44", "0")], "+442079460000"));

    [Fact]
    public void An_empty_strip_adds_to_every_number_a_longer_strip_does_not_take()
    {
        NumberRule[] rules = [new("", "+1"), new("+", "+")];

        Assert.Equal("+12125550100", NumberRules.Normalise(rules, "2125550100"));
        Assert.Equal("+442079460000", NumberRules.Normalise(rules, "+442079460000"));
    }

    [Fact]
    public void No_rules_change_nothing()
        => Assert.Equal("020-7946", NumberRules.Normalise([], "020-7946"));

    [Fact]
    public void Problems_name_the_rule_and_its_field()
    {
        var problems = NumberRules.Problems([new("0", "+44"), new("0x", "+"), new("", ""), new("0", "44+")]);

        Assert.Equal(
            [
                "1:Strip: '0x' is not digits, optionally after a '+'",
                "2:Strip: a rule strips something or adds something",
                "3:Add: '44+' is not digits, optionally after a '+'",
                "3:Strip: '0' is rule 0's already",
            ],
            problems);
    }
}
