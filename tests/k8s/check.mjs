// Offline validation of k8s/: renders every overlay (and k8s/monitoring), then runs each check and prints one line
// per check and target. Usage: node check.mjs [k8s-dir] [repo-dir]; exit 1 on any problem.
import { readdirSync, existsSync } from "node:fs";
import { join, dirname, resolve, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { render } from "./lib/render.mjs";
import { checkSchemas } from "./lib/schema.mjs";
import { checkFields } from "./lib/fields.mjs";
import { containerRules, probeRules, hpaRules, serviceRules, pdbRules, statefulSetRules } from "./lib/rules.mjs";
import { settingKeyRules, drainRules } from "./lib/settings.mjs";
import { metricNameRules, instrumentRules, adapterRules } from "./lib/metrics.mjs";
import { promtool } from "./lib/alerts.mjs";
import { rtpengineRules, anchorRules } from "./lib/media.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** Checks on one rendered target; `repo` is where src/ is (settings and drain read the code). */
export const perTarget = {
  schema: (objects) => checkSchemas(objects),
  containers: (objects) => containerRules(objects),
  probes: (objects) => probeRules(objects),
  hpa: (objects) => hpaRules(objects),
  services: (objects) => serviceRules(objects),
  pdb: (objects) => pdbRules(objects),
  statefulsets: (objects) => statefulSetRules(objects),
  settings: (objects, repo) => settingKeyRules(objects, repo),
  drain: (objects, repo) => drainRules(objects, repo),
  rtpengine: (objects) => rtpengineRules(objects),
  anchor: (objects) => anchorRules(objects),
};

/** Checks on all targets together (the adapter and the dashboard live apart from the overlays). */
export const acrossTargets = {
  fields: (objects) => checkFields(objects),
  "metric-names": (objects) => metricNameRules(objects),
  instruments: (objects, repo) => instrumentRules(repo),
  adapter: (objects) => adapterRules(objects),
  alerts: (objects) => promtool(objects, join(here, "alerts.test.yml")),
};

/** The kustomization directories to render: each overlay, and monitoring. */
export function targets(k8s) {
  const overlays = readdirSync(join(k8s, "overlays")).map((d) => join(k8s, "overlays", d));
  return [...overlays, join(k8s, "monitoring")].filter((d) => existsSync(join(d, "kustomization.yaml")));
}

/** Runs the named checks (default: all) over the tree; returns [{ check, target, problems }]. */
export async function checkTree(k8s, repo, only = null) {
  const results = [];
  const all = [];
  const want = (name) => !only || only.includes(name);
  for (const dir of targets(k8s)) {
    const target = relative(dirname(k8s), dir);
    let objects;
    try {
      objects = await render(dir);
    } catch (e) {
      results.push({ check: "render", target, problems: [String(e.stderr || e.message).trim()] });
      continue;
    }
    results.push({ check: "render", target, problems: [], count: objects.length });
    all.push(...objects);
    for (const [name, run] of Object.entries(perTarget)) if (want(name)) results.push({ check: name, target, problems: await run(objects, repo) });
  }
  for (const [name, run] of Object.entries(acrossTargets)) if (want(name)) results.push({ check: name, target: "all", problems: await run(all, repo) });
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const k8s = resolve(process.argv[2] ?? join(here, "../../k8s"));
  const repo = resolve(process.argv[3] ?? join(here, "../.."));
  const results = await checkTree(k8s, repo);
  for (const r of results) {
    console.log(`${r.problems.length ? "FAIL" : "ok  "}  ${r.check.padEnd(13)} ${r.target}${r.count ? ` (${r.count} objects)` : ""}`);
    for (const p of r.problems) console.log(`        ${p.replaceAll("\n", "\n        ")}`);
  }
  const failed = results.filter((r) => r.problems.length).length;
  console.log(`manifests: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
