using System.Globalization;
using CallControl.Flows.Testing;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Flows.Tests;

/// <summary>Office hours on the wall clock of a time zone: days, midnight spans, daylight saving time, holidays.</summary>
public sealed class TimeOfDayFlowTests
{
    private const string Office = """
        {
          "timeZone": "Europe/Berlin",
          "rules": [
            { "days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:00", "target": "sip:office@pbx.example" },
            { "days": ["sat"], "from": "10:00", "to": "14:00", "target": "sip:weekend@pbx.example" },
            { "days": ["fri"], "from": "22:00", "to": "06:00", "target": "sip:night@pbx.example" }
          ],
          "holidays": ["2026-12-25"],
          "otherwise": "sip:vm@voicemail.example"
        }
        """;

    private static FlowHarness At(string parameters, string utc)
        => new(new TimeOfDayFlow(), parameters, time: new FakeTimeProvider(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture)));

    private static async Task<string> RoutedAsync(string parameters, string utc)
        => Assert.Single(Assert.IsType<Dial>(await At(parameters, utc).StartAsync()).Targets).Uri;

    [Theory]
    [InlineData("2026-12-01T12:00:00Z", "office")] // Tue 13:00 CET
    [InlineData("2026-12-01T06:59:00Z", "vm")] // Tue 07:59: not yet
    [InlineData("2026-12-01T07:00:00Z", "office")] // Tue 08:00: from is in
    [InlineData("2026-12-01T17:00:00Z", "vm")] // Tue 18:00: to is out
    [InlineData("2026-12-05T09:30:00Z", "weekend")] // Sat 10:30
    [InlineData("2026-12-06T09:30:00Z", "vm")] // Sun 10:30: no rule on Sundays
    public async Task The_first_rule_that_holds_on_the_local_day_and_time_wins(string utc, string user)
        => Assert.Equal($"sip:{user}@{(user == "vm" ? "voicemail" : "pbx")}.example", await RoutedAsync(Office, utc));

    [Theory]
    [InlineData("2026-12-04T21:30:00Z", "night")] // Fri 22:30
    [InlineData("2026-12-04T22:59:00Z", "night")] // Fri 23:59
    [InlineData("2026-12-04T23:00:00Z", "night")] // Sat 00:00: Friday's span goes on past midnight
    [InlineData("2026-12-05T04:59:00Z", "night")] // Sat 05:59
    [InlineData("2026-12-05T05:00:00Z", "vm")] // Sat 06:00: over
    [InlineData("2026-12-03T22:30:00Z", "vm")] // Thu 23:30: the span is Friday's only
    [InlineData("2026-12-04T02:00:00Z", "vm")] // Fri 03:00: that would be Thursday's span
    public async Task A_rule_from_later_than_to_spans_midnight_from_the_day_it_starts(string utc, string user)
        => Assert.Equal($"sip:{user}@{(user == "vm" ? "voicemail" : "pbx")}.example", await RoutedAsync(Office, utc));

    [Theory]
    [InlineData("2026-03-27T06:30:00Z", "vm")] // Fri 07:30 CET (UTC+1)
    [InlineData("2026-03-30T06:30:00Z", "office")] // Mon 08:30 CEST (UTC+2): the same UTC time is office hours now
    [InlineData("2026-03-30T16:30:00Z", "vm")] // Mon 18:30 CEST
    [InlineData("2026-03-27T16:30:00Z", "office")] // Fri 17:30 CET
    [InlineData("2026-10-23T06:30:00Z", "office")] // Fri 08:30 CEST
    [InlineData("2026-10-26T06:30:00Z", "vm")] // Mon 07:30 CET, after the clocks went back
    public async Task Office_hours_follow_the_wall_clock_across_daylight_saving_time(string utc, string user)
        => Assert.Equal($"sip:{user}@{(user == "vm" ? "voicemail" : "pbx")}.example", await RoutedAsync(Office, utc));

    [Theory]
    [InlineData("2026-03-28T04:30:00Z", "night")] // Sat 05:30 CET
    [InlineData("2026-03-29T00:30:00Z", "night")] // Sun 01:30 CET, before the clocks go forward
    [InlineData("2026-03-29T01:30:00Z", "night")] // Sun 03:30 CEST, after: 02:00–03:00 never came
    [InlineData("2026-03-29T04:30:00Z", "day")] // Sun 06:30 CEST: the same UTC time as Saturday's 05:30
    [InlineData("2026-10-25T00:30:00Z", "night")] // Sun 02:30 CEST, the first time
    [InlineData("2026-10-25T01:30:00Z", "night")] // Sun 02:30 CET, the second time
    [InlineData("2026-10-24T04:30:00Z", "day")] // Sat 06:30 CEST
    [InlineData("2026-10-25T04:30:00Z", "night")] // Sun 05:30 CET: the same UTC time, an hour earlier on the wall
    public async Task A_night_span_holds_through_the_nights_the_clocks_change(string utc, string user)
    {
        const string Nights = """
            {"timeZone":"Europe/Berlin","rules":[{"from":"22:00","to":"06:00","target":"sip:night@pbx.example"}],"otherwise":"sip:day@pbx.example"}
            """;

        Assert.Equal($"sip:{user}@pbx.example", await RoutedAsync(Nights, utc));
    }

    [Theory]
    [InlineData("2026-03-06T13:30:00Z", "closed")] // Fri 08:30 EST (UTC-5)
    [InlineData("2026-03-09T13:30:00Z", "open")] // Mon 09:30 EDT (UTC-4): US clocks went forward on 8 March
    [InlineData("2026-03-09T21:00:00Z", "closed")] // Mon 17:00 EDT
    public async Task Another_time_zone_has_its_own_daylight_saving_dates(string utc, string user)
    {
        const string NewYork = """
            {"timeZone":"America/New_York","rules":[{"days":["mon","tue","wed","thu","fri"],"from":"09:00","to":"17:00","target":"sip:open@pbx.example"}],"otherwise":"sip:closed@pbx.example"}
            """;

        Assert.Equal($"sip:{user}@pbx.example", await RoutedAsync(NewYork, utc));
    }

    [Theory]
    [InlineData("2026-12-25T12:00:00Z", "sip:vm@voicemail.example")] // Christmas, Fri 13:00: office hours but a holiday
    [InlineData("2026-12-24T12:00:00Z", "sip:office@pbx.example")] // the day before is not
    public async Task No_rule_holds_on_a_holiday(string utc, string target)
        => Assert.Equal(target, await RoutedAsync(Office, utc));

    [Theory]
    [InlineData("2026-12-24T22:59:00Z", "open")] // 24 Dec 23:59 in Berlin
    [InlineData("2026-12-24T23:00:00Z", "closed")] // 25 Dec 00:00 in Berlin, still the 24th in UTC
    [InlineData("2026-12-25T22:59:00Z", "closed")] // 25 Dec 23:59
    [InlineData("2026-12-25T23:00:00Z", "open")] // 26 Dec 00:00 in Berlin, still the 25th in UTC
    public async Task A_holiday_is_a_date_in_the_time_zone(string utc, string user)
    {
        const string AllDay = """
            {"timeZone":"Europe/Berlin","rules":[{"from":"00:00","to":"24:00","target":"sip:open@pbx.example"}],"holidays":["2026-12-25"],"otherwise":"sip:closed@pbx.example"}
            """;

        Assert.Equal($"sip:{user}@pbx.example", await RoutedAsync(AllDay, utc));
    }

    [Fact]
    public async Task Without_an_otherwise_target_a_call_outside_the_rules_is_refused_with_480()
    {
        const string NoOtherwise = """{"timeZone":"Europe/Berlin","rules":[{"from":"08:00","to":"18:00","target":"sip:office@pbx.example"}]}""";

        Assert.Equal(480, Assert.IsType<Reject>(await At(NoOtherwise, "2026-12-01T20:00:00Z").StartAsync()).Status);
        Assert.Equal("sip:office@pbx.example", await RoutedAsync(NoOtherwise, "2026-12-01T08:00:00Z"));
    }

    [Fact]
    public async Task A_failed_dial_is_relayed()
    {
        var call = At(Office, "2026-12-01T12:00:00Z");
        await call.StartAsync();

        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.Busy));
    }

    [Theory]
    [InlineData("""{"otherwise":"sip:vm@voicemail.example"}""", "timeZone: an IANA time zone (e.g. 'Europe/Berlin') is required")]
    [InlineData("""{"timeZone":"Mars/Base","otherwise":"sip:vm@voicemail.example"}""", "timeZone: 'Mars/Base' is not a known time zone")]
    [InlineData("""{"timeZone":"Europe/Berlin"}""", "rules: at least one rule (or otherwise) is required")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"days":["mon","funday"],"from":"08:00","to":"18:00","target":"sip:office@pbx.example"}]}""", "rules[0].days[1]: 'funday' is not a day (mon, tue, wed, thu, fri, sat, sun)")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"days":[],"from":"08:00","to":"18:00","target":"sip:office@pbx.example"}]}""", "rules[0].days: empty (leave it out for every day)")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"from":"25:00","to":"18:00","target":"sip:office@pbx.example"}]}""", "rules[0].from: '25:00' is not a time of day (HH:mm)")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"from":"24:00","to":"18:00","target":"sip:office@pbx.example"}]}""", "rules[0].from: '24:00' is not a time of day (HH:mm)")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"from":"08:00","target":"sip:office@pbx.example"}]}""", "rules[0].to: a time of day (HH:mm) is required")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"from":"08:00","to":"6pm","target":"sip:office@pbx.example"}]}""", "rules[0].to: '6pm' is not a time of day (HH:mm, or 24:00)")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"from":"08:00","to":"8:00","target":"sip:office@pbx.example"}]}""", "rules[0].to: the same as from (for the whole day: from 00:00 to 24:00)")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"from":"08:00","to":"18:00","target":"sip:office@pbx.example"},{"from":"08:00","to":"18:00","target":"office"}]}""", "rules[1].target: 'office' is not a SIP URI")]
    [InlineData("""{"timeZone":"Europe/Berlin","rules":[{"dayz":["mon"],"from":"08:00","to":"18:00","target":"sip:office@pbx.example"}]}""", "rules[0].dayz: not a parameter of this flow")]
    [InlineData("""{"timeZone":"Europe/Berlin","otherwise":"sip:vm@voicemail.example","holidays":["2026-12-25","2026-13-01"]}""", "holidays[1]: '2026-13-01' is not a date (yyyy-MM-dd)")]
    [InlineData("""{"timeZone":"Europe/Berlin","otherwise":"sip:vm@voicemail.example","holidays":["25.12.2026"]}""", "holidays[0]: '25.12.2026' is not a date (yyyy-MM-dd)")]
    [InlineData("""{"timeZone":"Europe/Berlin","otherwise":"voicemail"}""", "otherwise: 'voicemail' is not a SIP URI")]
    [InlineData("""{"timezone":"Europe/Berlin","otherwise":"sip:vm@voicemail.example","holiday":[]}""", "holiday: not a parameter of this flow")]
    public void Validation_names_the_field(string parameters, string problem)
        => Assert.Equal(problem, Assert.Single(new FlowHarness(new TimeOfDayFlow(), parameters).Validate()));

    [Fact]
    public void Good_parameters_have_no_problems()
        => Assert.Empty(new FlowHarness(new TimeOfDayFlow(), Office).Validate());
}
