namespace CallControl.Grains.Routing;

/// <summary>
/// One number normalisation rule of a route (docs/interop.md, "Number normalisation"): a number that starts with
/// <see cref="Strip"/> loses it and gets <see cref="Add"/> in front. National <c>0</c> → <c>+44</c> and international
/// <c>00</c> → <c>+</c> make a UK caller's numbers E.164; <c>+44</c> → <c>0</c> makes them national again for a trunk
/// that wants that. Persisted in the call's state (<see cref="RoutePolicy"/>): ids are append only.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.number-rule")]
public sealed record NumberRule([property: Id(0)] string Strip, [property: Id(1)] string Add)
{
    /// <summary>The rule as the CLI and <c>route list</c> write it: <c>0&gt;+44</c>.</summary>
    public override string ToString() => $"{Strip}>{Add}";
}

/// <summary>Applies a route's <see cref="NumberRule"/>s to the user part of a URI: a pure function.</summary>
public static class NumberRules
{
    /// <summary>
    /// <paramref name="user"/> normalised: when it is a telephone number (digits, optionally after a '+'; RFC 3966's
    /// visual separators <c>-.()</c> are dropped), the rule whose <see cref="NumberRule.Strip"/> is the longest that
    /// starts it is applied. A user that is no number (<c>alice</c>, <c>1000;npdi</c>), or that no rule matches, is
    /// returned as it is.
    /// </summary>
    public static string? Normalise(IReadOnlyList<NumberRule> rules, string? user)
    {
        if (rules.Count == 0 || user is null || !TryDigits(user, out var number))
        {
            return user;
        }

        NumberRule? best = null;
        foreach (var rule in rules)
        {
            if (number.StartsWith(rule.Strip, StringComparison.Ordinal) && (best is null || rule.Strip.Length > best.Strip.Length))
            {
                best = rule;
            }
        }

        return best is null ? user : best.Add + number[best.Strip.Length..];
    }

    /// <summary>What is wrong with the rules, each as "N:Strip: problem" or "N:Add: problem" (the configuration's key names).</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<NumberRule> rules)
    {
        var problems = new List<string>();
        for (var i = 0; i < rules.Count; i++)
        {
            var (strip, add) = (rules[i].Strip, rules[i].Add);
            if (!IsPrefix(strip))
            {
                problems.Add($"{i}:Strip: '{strip}' is not digits, optionally after a '+'");
            }

            if (!IsPrefix(add))
            {
                problems.Add($"{i}:Add: '{add}' is not digits, optionally after a '+'");
            }

            if (strip.Length == 0 && add.Length == 0)
            {
                problems.Add($"{i}:Strip: a rule strips something or adds something");
            }

            for (var j = 0; j < i; j++)
            {
                if (rules[j].Strip == strip)
                {
                    problems.Add($"{i}:Strip: '{strip}' is rule {j}'s already");
                }
            }
        }

        return problems;
    }

    // Digits with an optional leading '+', visual separators removed; false for anything else.
    private static bool TryDigits(string user, out string number)
    {
        number = user;
        var digits = 0;
        for (var i = 0; i < user.Length; i++)
        {
            var c = user[i];
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (!(c == '+' && i == 0) && c is not ('-' or '.' or '(' or ')'))
            {
                return false;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (digits + (user[0] == '+' ? 1 : 0) != user.Length)
        {
            number = string.Concat(user.Where(c => char.IsAsciiDigit(c) || c == '+'));
        }

        return true;
    }

    private static bool IsPrefix(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) && !(text[i] == '+' && i == 0))
            {
                return false;
            }
        }

        return true;
    }
}
