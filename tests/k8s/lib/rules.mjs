// The project's own rules for rendered manifests (docs/operations.md). Each returns a list of problems.
import { id, workloads, podSpec, containersOf, selects } from "./render.mjs";

const sameNamespace = (a, b) => (a.metadata?.namespace ?? "") === (b.metadata?.namespace ?? "");
const podLabels = (w) => w.spec?.template?.metadata?.labels ?? {};
const isCallControl = (c) => /\/callcontrol\/(silo|edge)(:|@|$)/.test(c.image ?? "");

/** Every container: the three probes, requests and limits for cpu and memory, and the hardened security context. */
export function containerRules(objects) {
  const problems = [];
  for (const w of workloads(objects)) {
    const pod = podSpec(w);
    for (const c of containersOf(w)) {
      const at = `${id(w)} container ${c.name}`;
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) if (!c[probe]) problems.push(`${at}: no ${probe}`);
      for (const part of ["requests", "limits"]) for (const r of ["cpu", "memory"])
        if (c.resources?.[part]?.[r] === undefined) problems.push(`${at}: no resources.${part}.${r}`);
      const sc = c.securityContext ?? {};
      if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
      if ((sc.runAsUser ?? pod.securityContext?.runAsUser) === 0) problems.push(`${at}: runs as user 0`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem is not true`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${at}: capabilities do not drop ALL`);
      if ((sc.capabilities?.add ?? []).length) problems.push(`${at}: adds capabilities ${sc.capabilities.add}`);
      if ((sc.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== "RuntimeDefault") problems.push(`${at}: seccompProfile is not RuntimeDefault`);
      // A read-only root needs a writable /tmp (the .NET runtime's diagnostics sockets live there).
      const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
      if (!tmp || !(pod.volumes ?? []).some((v) => v.name === tmp.name && v.emptyDir)) problems.push(`${at}: no emptyDir at /tmp`);
    }
  }
  return problems;
}

/** CallControl containers serve the probes on their http port 8080: readiness /readyz, liveness /healthz. */
export function probeRules(objects) {
  const problems = [];
  for (const w of workloads(objects)) for (const c of containersOf(w).filter(isCallControl)) {
    const at = `${id(w)} container ${c.name}`;
    const port8080 = (p) => p === 8080 || (c.ports ?? []).some((cp) => cp.name === p && cp.containerPort === 8080);
    for (const [probe, path] of [["startupProbe", null], ["readinessProbe", "/readyz"], ["livenessProbe", "/healthz"]]) {
      const get = c[probe]?.httpGet;
      if (!get) { problems.push(`${at}: ${probe} is not an httpGet`); continue; }
      if (!port8080(get.port)) problems.push(`${at}: ${probe} is not on port 8080 (got ${get.port})`);
      if (path && get.path !== path) problems.push(`${at}: ${probe} path is ${get.path}, not ${path}`);
    }
  }
  return problems;
}

/** Every HPA scales a workload that exists (same kind, name, namespace) and has scale-down stabilisation and policies. */
export function hpaRules(objects) {
  const problems = [];
  for (const h of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
    const ref = h.spec?.scaleTargetRef ?? {};
    const target = objects.find((o) => o.kind === ref.kind && o.apiVersion === ref.apiVersion && o.metadata?.name === ref.name && sameNamespace(o, h));
    if (!target) problems.push(`${id(h)}: scaleTargetRef ${ref.apiVersion} ${ref.kind} ${ref.name} does not exist`);
    if ((h.spec?.minReplicas ?? 1) > h.spec?.maxReplicas) problems.push(`${id(h)}: minReplicas above maxReplicas`);
    const down = h.spec?.behavior?.scaleDown;
    if (!(down?.stabilizationWindowSeconds > 0)) problems.push(`${id(h)}: no scale-down stabilizationWindowSeconds`);
    if (!(down?.policies?.length)) problems.push(`${id(h)}: no scale-down rate-limit policies`);
  }
  return problems;
}

/** Every Service selects pods, and each port's targetPort (name or number; default: port) is a container port of them. */
export function serviceRules(objects) {
  const problems = [];
  for (const s of objects.filter((o) => o.kind === "Service" && o.spec?.selector)) {
    const selected = workloads(objects).filter((w) => sameNamespace(w, s) && selects(s.spec.selector, podLabels(w)));
    if (!selected.length) { problems.push(`${id(s)}: selector matches no pod template`); continue; }
    const ports = selected.flatMap((w) => containersOf(w).flatMap((c) => c.ports ?? []));
    for (const p of s.spec.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const protocol = p.protocol ?? "TCP";
      const ok = ports.some((cp) => (cp.protocol ?? "TCP") === protocol && (typeof target === "number" ? cp.containerPort === target : cp.name === target));
      if (!ok) problems.push(`${id(s)}: port ${p.name ?? p.port} targets ${target}/${protocol}, which no selected container exposes`);
    }
  }
  return problems;
}

/** Every PDB selects the pods of an existing workload. */
export function pdbRules(objects) {
  return objects.filter((o) => o.kind === "PodDisruptionBudget")
    .filter((p) => !workloads(objects).some((w) => sameNamespace(w, p) && selects(p.spec?.selector, podLabels(w))))
    .map((p) => `${id(p)}: selector matches no pod template`);
}

/** Every StatefulSet names a headless Service that exists. */
export function statefulSetRules(objects) {
  return objects.filter((o) => o.kind === "StatefulSet")
    .filter((s) => !objects.some((o) => o.kind === "Service" && o.metadata?.name === s.spec?.serviceName && sameNamespace(o, s) && o.spec?.clusterIP === "None"))
    .map((s) => `${id(s)}: serviceName ${s.spec?.serviceName} is not a headless Service here`);
}
