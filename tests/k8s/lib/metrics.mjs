// Metric names: every name an alert, an adapter rule or the dashboard uses must be in known-metrics.tsv, and every
// callcontrol_* name listed as exported must still be an instrument in the code (a rename breaks this check).
// Label names (a word followed by =, !=, =~ or !~) and quoted strings are not metric names.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";

const here = dirname(dirname(fileURLToPath(import.meta.url)));

export function knownMetrics(file = join(here, "known-metrics.tsv")) {
  return new Map(readFileSync(file, "utf8").split("\n").filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split("\t")).map(([name, provenance, by]) => [name, { provenance, by }]));
}

/** The PromQL expressions of the rendered objects, each with where it is. */
export function expressions(objects) {
  const found = [];
  for (const o of objects) {
    if (o.kind === "PrometheusRule") for (const g of o.spec?.groups ?? []) for (const r of g.rules ?? [])
      found.push({ where: `PrometheusRule ${r.alert ?? r.record}`, expr: r.expr, defines: r.record });
    if (o.kind === "ConfigMap") for (const [key, value] of Object.entries(o.data ?? {})) {
      if (key.endsWith(".json")) {
        const walk = (x) => { if (x && typeof x === "object") { if (typeof x.expr === "string") found.push({ where: `dashboard ${key}`, expr: x.expr }); Object.values(x).forEach(walk); } };
        walk(JSON.parse(value));
      } else if (key === "config.yaml") {
        for (const r of load(value)?.rules ?? []) found.push({ where: `adapter rule ${r.name?.as}`, expr: `${r.seriesQuery} ${r.metricsQuery.replaceAll(/<<[^>]*>>/g, "")}` });
      }
    }
  }
  return found;
}

export function metricNameRules(objects, known = knownMetrics()) {
  const exprs = expressions(objects);
  const recorded = new Set(exprs.map((e) => e.defines).filter(Boolean));
  const problems = [];
  for (const { where, expr } of exprs) {
    const names = expr.replaceAll(/"[^"]*"/g, '""').match(/\b(callcontrol|orleans|kube|container)[a-z0-9_:]*\b(?!\s*(=|!=|=~|!~))/g) ?? [];
    for (const name of names) {
      if (name.includes(":")) { if (!recorded.has(name)) problems.push(`${where}: recorded series ${name} is defined by no rule`); continue; }
      if (!known.has(name)) problems.push(`${where}: metric ${name} is not in known-metrics.tsv`);
    }
    for (const [, pattern] of expr.matchAll(/__name__\s*=~\s*"([^"]*)"/g)) {
      const re = new RegExp(`^(?:${pattern})$`);
      if (![...known.keys()].some((n) => re.test(n))) problems.push(`${where}: __name__=~"${pattern}" matches no known metric`);
    }
  }
  return problems;
}

/** The Prometheus names of the instruments created under src/ (OpenTelemetry's Prometheus naming). */
export function instrumentNames(repo) {
  const names = new Set();
  const suffix = { s: "_seconds", ms: "_milliseconds", By: "_bytes" };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "bin" || entry.name === "obj") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) { walk(path); continue; }
      if (!entry.name.endsWith(".cs")) continue;
      const text = readFileSync(path, "utf8");
      for (const m of text.matchAll(/Create(?:Observable)?(Counter|UpDownCounter|Histogram|Gauge)<\w+>\(\s*"([^"]+)"([^;]*)/g)) {
        const base = m[2].replaceAll(".", "_") + (suffix[/unit:\s*"(\w+)"/.exec(m[3])?.[1]] ?? "");
        if (m[1] === "Counter") names.add(base + "_total");
        else if (m[1] === "Histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(base + s);
        else names.add(base);
      }
    }
  };
  walk(join(repo, "src"));
  return names;
}

export function instrumentRules(repo, known = knownMetrics()) {
  const defined = instrumentNames(repo);
  return [...known].filter(([name, k]) => name.startsWith("callcontrol_") && k.provenance !== "gap" && !defined.has(name))
    .map(([name]) => `known-metrics.tsv: ${name} is listed as exported, but no instrument under src/ makes it`);
}

/** Every per-pod metric an HPA scales on is one that a prometheus-adapter rule serves under that name. */
export function adapterRules(objects) {
  const served = new Set();
  for (const o of objects.filter((o) => o.kind === "ConfigMap" && o.data?.["config.yaml"]))
    for (const r of load(o.data["config.yaml"])?.rules ?? []) if (r.name?.as) served.add(r.name.as);
  const problems = [];
  for (const h of objects.filter((o) => o.kind === "HorizontalPodAutoscaler"))
    for (const m of h.spec?.metrics ?? []) if (m.type === "Pods" && !served.has(m.pods?.metric?.name))
      problems.push(`HPA ${h.metadata?.namespace}/${h.metadata?.name}: metric ${m.pods?.metric?.name} is served by no prometheus-adapter rule`);
  return problems;
}
