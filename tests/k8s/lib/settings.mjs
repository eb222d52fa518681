// What CallControl containers are configured with, and the rules on it: every CallControl__ key names a setting the
// code reads, and the stop sequence fits in the pod's termination grace period.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { id, workloads, podSpec, containersOf } from "./render.mjs";

const isCallControl = (c) => /\/callcontrol\/(silo|edge)(:|@|$)/.test(c.image ?? "");

/** The container's environment: envFrom ConfigMaps first, then literal env entries (as the kubelet resolves them). */
export function environment(container, workload, objects) {
  const env = {};
  for (const from of container.envFrom ?? []) {
    const map = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === from.configMapRef?.name
      && (o.metadata?.namespace ?? "") === (workload.metadata?.namespace ?? ""));
    Object.assign(env, map?.data ?? {});
  }
  for (const e of container.env ?? []) env[e.name] = e.value ?? (e.valueFrom ? "<from " + Object.keys(e.valueFrom)[0] + ">" : "");
  return env;
}

/** A .NET TimeSpan in its constant format ([d.]hh:mm:ss[.fff]), in seconds. */
export function timeSpanSeconds(text) {
  const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text ?? "");
  if (!m) return NaN;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

function sourceText(repo) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "bin" || entry.name === "obj") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path); else if (entry.name.endsWith(".cs")) files.push(readFileSync(path, "utf8"));
    }
  };
  walk(join(repo, "src"));
  return files.join("\n");
}

/**
 * Every CallControl__A__B key, in ConfigMaps or container env, ends in a property or key the code under src/ reads;
 * a list item (CallControl__A__List__0) by its list.
 */
export function settingKeyRules(objects, repo) {
  const text = sourceText(repo);
  const keys = new Set();
  for (const o of objects.filter((o) => o.kind === "ConfigMap")) for (const k of Object.keys(o.data ?? {})) if (k.startsWith("CallControl__")) keys.add(k);
  for (const w of workloads(objects)) for (const c of containersOf(w)) for (const e of c.env ?? []) if (e.name.startsWith("CallControl__")) keys.add(e.name);
  const problems = [];
  for (const key of keys) {
    const name = key.split("__").filter((part) => !/^\d+$/.test(part)).at(-1); // a list item (…__0) is its list's
    const read = new RegExp(`\\b${name}\\s*\\{\\s*get|"${name}"|:${name}"`).test(text);
    if (!read) problems.push(`setting ${key}: nothing under src/ reads ${name}`);
  }
  return problems;
}

/**
 * The stop sequence of each CallControl container fits its grace period: preStop sleep, then the host's stop, which
 * takes up to max(30 s, DrainTimeout + the edge's stop margin) when an edge runs in it. An edge must drain.
 */
export function drainRules(objects, repo) {
  const drain = readFileSync(join(repo, "src/Edge/Hosting/EdgeDrain.cs"), "utf8");
  const margin = Number(/StopMargin\s*=\s*TimeSpan\.FromSeconds\((\d+)\)/.exec(drain)?.[1]);
  const hostDefault = 30; // HostOptions.ShutdownTimeout default in .NET
  const problems = [];
  for (const w of workloads(objects)) for (const c of containersOf(w).filter(isCallControl)) {
    const at = `${id(w)} container ${c.name}`;
    const env = environment(c, w, objects);
    const edge = env.CallControl__Edge__Enabled !== "false";
    const command = c.lifecycle?.preStop?.exec?.command ?? [];
    const sleep = command[0] === "sleep" ? Number(command[1]) : 0;
    let stop = hostDefault;
    if (edge) {
      const seconds = timeSpanSeconds(env.CallControl__Edge__DrainTimeout);
      if (!(seconds > 0)) problems.push(`${at}: runs an edge without CallControl__Edge__DrainTimeout (got ${env.CallControl__Edge__DrainTimeout})`);
      else stop = Math.max(hostDefault, seconds + margin);
      if (!(sleep > 0)) problems.push(`${at}: runs an edge without a preStop sleep for the load balancer to let go`);
    }
    const grace = podSpec(w).terminationGracePeriodSeconds ?? 30;
    if (grace < sleep + stop) problems.push(`${at}: terminationGracePeriodSeconds ${grace} < preStop ${sleep} s + stop ${stop} s`);
  }
  return problems;
}
