// The Kubernetes API schemas (npm kubernetes-models, Kubernetes 1.27; prometheus-operator CRDs): types, required
// fields, enums, patterns. They allow unknown fields; lib/fields.mjs catches those.
import { id } from "./render.mjs";

function modelPath(o) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : [null, o.apiVersion];
  const pkg = group === "monitoring.coreos.com" ? "@kubernetes-models/prometheus-operator" : "kubernetes-models";
  return `${pkg}/${group ? group + "/" : ""}${version}/${o.kind}`;
}

// kustomize folds long base64 Secret values over lines; the API server's decoder (Go encoding/base64) skips
// newlines, the schema's base64 pattern does not.
function normalized(o) {
  if (o.kind !== "Secret" || !o.data) return o;
  return { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, String(v).replaceAll(/\s/g, "")])) };
}

/** Problems of each object against its schema; an object with no known schema is a problem too. */
export async function checkSchemas(objects) {
  const problems = [];
  for (const o of objects) {
    let Model;
    try {
      Model = (await import(modelPath(o)))[o.kind];
    } catch {
      problems.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(normalized(o)).validate();
    } catch (e) {
      for (const err of e.errors ?? [e]) problems.push(`${id(o)}: ${err.instancePath ?? ""} ${err.message}`);
    }
  }
  return problems;
}

export { modelPath };
