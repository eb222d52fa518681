// The alert rules, taken from the rendered PrometheusRule objects, checked and unit-tested with promtool
// (tests/k8s/alerts.test.yml names them callcontrol-alerts.yml; rule_files are relative to the test file).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump } from "js-yaml";

export async function promtool(objects, testFile) {
  const rules = [...new Set(objects.filter((o) => o.kind === "PrometheusRule").map((o) => JSON.stringify({ groups: o.spec.groups })))];
  if (rules.length === 0) return ["no PrometheusRule rendered"];
  const problems = [];
  for (const text of rules) {
    const work = mkdtempSync(join(tmpdir(), "callcontrol-k8s-alerts-"));
    try {
      writeFileSync(join(work, "callcontrol-alerts.yml"), dump(JSON.parse(text)));
      copyFileSync(testFile, join(work, "alerts.test.yml"));
      for (const args of [["check", "rules", "callcontrol-alerts.yml"], ["test", "rules", "alerts.test.yml"]]) {
        try {
          await promisify(execFile)("promtool", args, { cwd: work, encoding: "utf8" });
        } catch (e) {
          problems.push(`promtool ${args.slice(0, 2).join(" ")}:\n${(e.stdout ?? "") + (e.stderr ?? "") || e.message}`);
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return problems;
}
