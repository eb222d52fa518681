// Renders a kustomization with kubectl's built-in kustomize (offline: kubectl kustomize needs no cluster).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { loadAll } from "js-yaml";

/** The objects of `kubectl kustomize <dir>`, each tagged with the directory it came from. */
export async function render(dir) {
  const { stdout: text } = await promisify(execFile)("kubectl", ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 << 20 });
  return loadAll(text).filter(Boolean).map((object) => Object.defineProperty(object, "$source", { value: dir }));
}

/** "Kind namespace/name", for messages. */
export const id = (o) => `${o.kind} ${o.metadata?.namespace ?? "-"}/${o.metadata?.name}`;

/** The workloads (objects with a pod template) and their pod templates. */
export const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);
export const workloads = (objects) => objects.filter((o) => workloadKinds.has(o.kind));
export const podSpec = (w) => w.spec?.template?.spec ?? {};
export const containersOf = (w) => [...(podSpec(w).initContainers ?? []), ...(podSpec(w).containers ?? [])];

/** True when every key=value of `selector` (matchLabels and matchExpressions) holds for `labels`. */
export function selects(selector, labels = {}) {
  if (!selector) return false;
  const match = selector.matchLabels ?? (selector.matchExpressions ? {} : selector); // Services use a plain map
  if (Object.keys(match).length === 0 && !(selector.matchExpressions?.length)) return false; // empty selects nothing we own
  for (const [k, v] of Object.entries(match)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
