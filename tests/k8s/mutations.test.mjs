// Every check can fail: each case breaks one thing in a temporary copy of k8s/ and expects the check that guards it
// to name the problem. Run by tests/k8s/validate (node --test).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { checkTree } from "./check.mjs";
import { instrumentRules, knownMetrics } from "./lib/metrics.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "../..");

// [check, what breaks, file under k8s/, text, replacement, expected problem]
const cases = [
  ["schema", "a string where an integer belongs", "base/silo-hpa.yaml", "maxReplicas: 12", 'maxReplicas: "12"', /maxReplicas must be integer/],
  ["fields", "a misspelled container field", "base/edge-deployment.yaml", "readinessProbe:", "readinesProbe:", /readinesProbe/],
  ["fields", "a misspelled spec field", "base/silo-deployment.yaml", "replicas: 3", "replicsa: 3", /replicsa/],
  ["containers", "no liveness probe", "overlays/dev/redis.yaml", "livenessProbe:", "x-livenessProbe:", /container redis: no livenessProbe/],
  ["containers", "no CPU limit", "base/silo-deployment.yaml", 'cpu: "2"\n', "", /container silo: no resources.limits.cpu/],
  ["containers", "a writable root filesystem", "base/edge-deployment.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", /container edge: readOnlyRootFilesystem is not true/],
  ["containers", "root allowed", "overlays/dev/postgres.yaml", "runAsNonRoot: true", "runAsNonRoot: false", /container postgres: runAsNonRoot is not true/],
  ["containers", "privilege escalation allowed", "base/silo-deployment.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", /allowPrivilegeEscalation is not false/],
  ["containers", "capabilities kept", "base/edge-deployment.yaml", "drop: [ALL]", "drop: [NET_RAW]", /capabilities do not drop ALL/],
  ["containers", "no seccomp profile", "base/silo-deployment.yaml", "type: RuntimeDefault", "type: Unconfined", /seccompProfile is not RuntimeDefault/],
  ["containers", "no writable /tmp", "overlays/dev/redis.yaml", "mountPath: /tmp", "mountPath: /scratch", /container redis: no emptyDir at \/tmp/],
  ["probes", "readiness on the liveness path", "base/edge-deployment.yaml", "path: /readyz", "path: /healthz", /readinessProbe path is \/healthz, not \/readyz/],
  ["hpa", "a target that does not exist", "base/silo-hpa.yaml", "name: callcontrol-silo\n  minReplicas", "name: callcontrol-silos\n  minReplicas", /scaleTargetRef apps\/v1 Deployment callcontrol-silos does not exist/],
  ["hpa", "no scale-down stabilisation", "base/edge-hpa.yaml", "stabilizationWindowSeconds: 300", "# no stabilisation", /no scale-down stabilizationWindowSeconds/],
  ["services", "a targetPort no container has", "base/edge-service.yaml", "targetPort: sip-tls", "targetPort: sip-tsl", /port sip-tls targets sip-tsl\/TCP/],
  ["services", "a UDP port served as TCP only", "base/edge-deployment.yaml", "containerPort: 5060\n              protocol: UDP", "containerPort: 5060\n              protocol: TCP", /port sip-udp targets sip-udp\/UDP/],
  ["services", "a selector matching nothing", "base/silo-service.yaml", "app.kubernetes.io/name: callcontrol-silo", "app.kubernetes.io/name: callcontrol-silos", /callcontrol-silo: selector matches no pod template/],
  ["pdb", "a selector matching nothing", "base/edge-pdb.yaml", "app.kubernetes.io/name: callcontrol-edge", "app.kubernetes.io/name: edge", /PodDisruptionBudget voice-\w+\/callcontrol-edge: selector matches no pod template/],
  ["statefulsets", "a missing governing Service", "overlays/dev/redis.yaml", "serviceName: callcontrol-redis", "serviceName: redis", /serviceName redis is not a headless Service/],
  ["settings", "a setting nothing reads", "base/settings.env", "CallControl__Edge__DrainTimeout", "CallControl__Edge__DrainTimout", /nothing under src\/ reads DrainTimout/],
  ["drain", "a grace period shorter than the drain", "base/edge-deployment.yaml", "terminationGracePeriodSeconds: 50", "terminationGracePeriodSeconds: 30", /terminationGracePeriodSeconds 30 < preStop 5 s \+ stop 40 s/],
  ["drain", "an edge that does not drain", "base/settings.env", "CallControl__Edge__DrainTimeout=00:00:30", "CallControl__Edge__DrainTimeout=00:00:00", /runs an edge without CallControl__Edge__DrainTimeout/],
  ["metric-names", "an alert on a misspelled metric", "base/prometheusrule.yaml", "max by (namespace) (changes(orleans_consistent_ring_size[5m]))", "max by (namespace) (changes(orleans_consistent_ring_sizes[5m]))", /metric orleans_consistent_ring_sizes is not in known-metrics.tsv/],
  ["adapter", "an HPA metric the adapter does not serve", "monitoring/prometheus-adapter.yaml", "as: callcontrol_calls_active", "as: callcontrol_active_calls", /metric callcontrol_calls_active is served by no prometheus-adapter rule/],
  ["alerts", "an alert that no longer fires when it should", "base/prometheusrule.yaml", 'ratio_rate5m{class="5xx"} > 0.05', 'ratio_rate5m{class="5xx"} > 0.5', /FAILED[\s\S]*CallControl5xxRatioHigh/],
  ["alerts", "a security surge that counts unbans", "base/prometheusrule.yaml", 'callcontrol_security_events_total{event!="unbanned"}', "callcontrol_security_events_total", /FAILED[\s\S]*CallControlSecurityEventsSurge/],
  ["alerts", "shared bans summed over the edges", "base/prometheusrule.yaml", "max by (namespace) (callcontrol_security_banned_sources)", "sum by (namespace) (callcontrol_security_banned_sources)", /FAILED[\s\S]*CallControlManySourcesBanned/],
  ["rtpengine", "rtpengine off the host network", "components/rtpengine/rtpengine-daemonset.yaml", "hostNetwork: true", "hostNetwork: false", /rtpengine without hostNetwork/],
  ["rtpengine", "kernel forwarding", "components/rtpengine/rtpengine-daemonset.yaml", "- --table=-1", "- --table=0", /rtpengine without --table=-1/],
  ["rtpengine", "RTP ports in the NodePort range", "components/rtpengine/rtpengine-daemonset.yaml", "--port-max=29999", "--port-max=30999", /RTP ports 20000-30999 overlap the NodePort range/],
  ["rtpengine", "RTP ports over its own ng port", "components/rtpengine/rtpengine-daemonset.yaml", "--port-min=20000", "--port-min=2000", /RTP ports 2000-29999 overlap .*rtpengine --listen-ng 2223/],
  ["rtpengine", "an RTP range upside down", "components/rtpengine/rtpengine-daemonset.yaml", "--port-max=29999", "--port-max=19999", /RTP port range --port-min 20000 --port-max 19999 is not 1024 <= min <= max <= 65535/],
  ["rtpengine", "a fixed interface address", "components/rtpengine/rtpengine-daemonset.yaml", "--interface=$(NODE_IP)", "--interface=10.0.0.5", /does not take the node's IP from the downward API/],
  ["rtpengine", "the pod's IP for the node's", "components/rtpengine/rtpengine-daemonset.yaml", "fieldPath: status.hostIP", "fieldPath: status.podIP", /does not take the node's IP/],
  ["anchor", "a silo's rtpengine address on another port", "overlays/dev/kustomization.yaml", "svc.cluster.local:2223", "svc.cluster.local:2222", /port 2222 is no rtpengine's ng port here \(2223\)/],
  ["anchor", "anchor mode without an rtpengine address", "overlays/dev/kustomization.yaml", "- CallControl__Media__Rtpengine__0__Address=", "- CallControl__Media__Rtpengine__0__Addres=", /anchor without CallControl__Media__Rtpengine__0__Address/],
  ["alerts", "an rtpengine alert that one silo's view sets off", "base/prometheusrule.yaml", "max by (namespace, engine) (callcontrol_media_rtpengine_up) == 0", "min by (namespace, engine) (callcontrol_media_rtpengine_up) == 0", /FAILED[\s\S]*CallControlRtpengineDown/],
  ["alerts", "media failures that count health pings", "base/prometheusrule.yaml", 'callcontrol_media_ng_commands_total{command=~"offer|answer|delete",result!="ok"}', 'callcontrol_media_ng_commands_total{result!="ok"}', /FAILED[\s\S]*CallControlMediaCommandsFailing/],
  ["render", "a patch for an object that is not there", "overlays/prod/sizes.yaml", "name: callcontrol-edge\nspec:\n  replicas: 3", "name: callcontrol-egde\nspec:\n  replicas: 3", /callcontrol-egde/],
];

// Cases run side by side (each in its own copy): kubectl, tsc and promtool are separate processes.
describe("each check fails on what it guards", { concurrency: 4 }, () => {
for (const [check, what, file, from, to, expected] of cases) {
  test(`${check} fails on ${what}`, async () => {
    const copy = mkdtempSync(join(tmpdir(), "callcontrol-k8s-mutation-"));
    try {
      const k8s = join(copy, "k8s");
      cpSync(join(repo, "k8s"), k8s, { recursive: true });
      const path = join(k8s, file);
      const text = readFileSync(path, "utf8");
      assert.ok(text.includes(from), `${file} no longer contains ${JSON.stringify(from)}: update this case`);
      writeFileSync(path, text.replace(from, to));
      const results = await checkTree(k8s, repo, [check]);
      if (check !== "render") assert.deepEqual(results.filter((r) => r.check === "render").flatMap((r) => r.problems), [], "the broken copy must still render");
      const problems = results.filter((r) => r.check === check).flatMap((r) => r.problems);
      assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} from ${check}; got:\n${problems.join("\n") || "(no problem)"}`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
}
});

test("instruments fails on a listed metric no instrument makes", () => {
  const known = knownMetrics();
  known.set("callcontrol_calls_in_progress", { provenance: "scraped", by: "nobody" });
  assert.deepEqual(instrumentRules(repo, known), ["known-metrics.tsv: callcontrol_calls_in_progress is listed as exported, but no instrument under src/ makes it"]);
});
