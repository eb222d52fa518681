#!/usr/bin/env python3
"""The failed tests of a test run, from its TRX files, for the end of scripts/test's output.

dotnet test prints each failure as it happens, interleaved with every other assembly's output; a CI log that keeps
only its tail would lose them. This prints, after everything else, each failed test's name and the first lines of
its message, failures with the same message grouped (a collection fixture that failed fails every test in it).

  trx-failures.py FILE.trx...    the summary (nothing when no test failed)
  trx-failures.py --self-test    checks the summary on a TRX written here
"""
import os
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MESSAGE_LINES = 12   # of each distinct message
NAMES_SHOWN = 10     # of the tests that share one message


def failures(paths):
    """(test name, message) of every failed test in the TRX files, in file order."""
    found = []
    for path in paths:
        if not os.path.exists(path):   # an unmatched glob: no assembly wrote its results
            continue
        for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
            if result.get("outcome") != "Failed":
                continue
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
            stack = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=NS)
            found.append((result.get("testName", "?"), (message or stack).strip()))
    return found


def summary(found):
    """Lines: each distinct message (its first lines) after the names of the tests that failed with it."""
    if not found:
        return []
    groups = {}
    for name, message in found:
        groups.setdefault("\n".join(message.splitlines()[:MESSAGE_LINES]), []).append(name)
    lines = [f"failed tests: {len(found)}"]
    for message, names in groups.items():
        lines += [f"  FAILED {name}" for name in names[:NAMES_SHOWN]]
        if len(names) > NAMES_SHOWN:
            lines.append(f"  ... and {len(names) - NAMES_SHOWN} more with the same message")
        lines += [f"    | {line}" for line in message.splitlines()]
    return lines


SAMPLE = """<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
<UnitTestResult testName="A.passes" outcome="Passed" />
<UnitTestResult testName="A.fixture_one" outcome="Failed"><Output><ErrorInfo><Message>Class fixture failed
scripts/cluster up failed (1)</Message></ErrorInfo></Output></UnitTestResult>
<UnitTestResult testName="A.fixture_two" outcome="Failed"><Output><ErrorInfo><Message>Class fixture failed
scripts/cluster up failed (1)</Message></ErrorInfo></Output></UnitTestResult>
<UnitTestResult testName="B.assertion" outcome="Failed"><Output><ErrorInfo><Message>Assert.Equal() Failure</Message>
<StackTrace>at B.assertion()</StackTrace></ErrorInfo></Output></UnitTestResult>
</Results></TestRun>"""


def self_test():
    with tempfile.NamedTemporaryFile("w", suffix=".trx", encoding="utf-8") as trx:
        trx.write(SAMPLE)
        trx.flush()
        lines = summary(failures([trx.name]))
    expected = [
        "failed tests: 3",
        "  FAILED A.fixture_one",
        "  FAILED A.fixture_two",
        "    | Class fixture failed",
        "    | scripts/cluster up failed (1)",
        "  FAILED B.assertion",
        "    | Assert.Equal() Failure",
    ]
    if lines != expected:
        print("trx-failures self-test FAILED:\n" + "\n".join(lines), file=sys.stderr)
        return 1
    if summary([]) != []:
        print("trx-failures self-test FAILED: a run without failures printed something", file=sys.stderr)
        return 1
    print("trx-failures --self-test: all passed")
    return 0


def main(args):
    if args == ["--self-test"]:
        return self_test()
    for line in summary(failures(args)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
