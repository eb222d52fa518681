// Rules for rtpengine workloads and the silos that anchor media on them (docs/media.md, "Kubernetes"). Each returns a
// list of problems.
import { id, workloads, podSpec, containersOf } from "./render.mjs";
import { environment } from "./settings.mjs";

const isRtpengine = (c) => /\/rtpengine(:|@|$)/.test(c.image ?? "");

// Ports the node hands out on its own: Services' NodePorts (kube-apiserver's default --service-node-port-range) and
// Linux's ephemeral ports (net.ipv4.ip_local_port_range's default), which outgoing connections take at random.
const reserved = [
  { from: 30000, to: 32767, what: "the NodePort range" },
  { from: 32768, to: 60999, what: "Linux's ephemeral port range" },
];

/** The value of `--name=value` (or `--name value`) in a container's command and args. */
export function flag(container, name) {
  const words = [...(container.command ?? []), ...(container.args ?? [])].map(String);
  for (let i = 0; i < words.length; i++) {
    if (words[i].startsWith(`--${name}=`)) return words[i].slice(name.length + 3);
    if (words[i] === `--${name}`) return words[i + 1] ?? "";
  }
  return undefined;
}

const portOf = (address) => Number(/:(\d+)$/.exec(address ?? "")?.[1]);

/** The ports an rtpengine container binds besides its media range: declared ports and its listeners. */
function listenerPorts(c) {
  const ports = (c.ports ?? []).map((p) => ({ port: p.containerPort, what: `port ${p.name ?? p.containerPort}` }));
  for (const name of ["listen-ng", "listen-http", "listen-https", "listen-cli", "listen-tcp", "listen-udp"]) {
    const port = portOf(flag(c, name));
    if (port) ports.push({ port, what: `--${name} ${port}` });
  }
  return ports;
}

/**
 * Every rtpengine container: on the host network, userspace forwarding (--table=-1), an RTP port range that overlaps
 * neither what the node hands out nor its own listeners nor another host-network workload's ports, and --interface
 * taken from the node's IP through the downward API (status.hostIP).
 */
export function rtpengineRules(objects) {
  const problems = [];
  const hostPorts = workloads(objects).filter((w) => podSpec(w).hostNetwork === true)
    .flatMap((w) => containersOf(w).flatMap((c) => (isRtpengine(c) ? listenerPorts(c) : (c.ports ?? []).map((p) => ({ port: p.containerPort, what: `port ${p.name ?? p.containerPort}` })))
      .map((p) => ({ ...p, what: `${id(w)} container ${c.name} ${p.what}` }))));
  for (const w of workloads(objects)) for (const c of containersOf(w).filter(isRtpengine)) {
    const at = `${id(w)} container ${c.name}`;
    if (podSpec(w).hostNetwork !== true) problems.push(`${at}: rtpengine without hostNetwork: its SDP would carry the pod's address, and its RTP ports would sit behind NAT`);
    if (flag(c, "table") !== "-1") problems.push(`${at}: rtpengine without --table=-1 (kernel forwarding needs the xt_RTPENGINE module on the node and a privileged pod)`);

    const min = Number(flag(c, "port-min"));
    const max = Number(flag(c, "port-max"));
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1024 || max > 65535 || min > max) {
      problems.push(`${at}: RTP port range --port-min ${flag(c, "port-min")} --port-max ${flag(c, "port-max")} is not 1024 <= min <= max <= 65535`);
    } else {
      for (const r of reserved) if (min <= r.to && max >= r.from) problems.push(`${at}: RTP ports ${min}-${max} overlap ${r.what} (${r.from}-${r.to})`);
      for (const p of hostPorts) if (p.port >= min && p.port <= max) problems.push(`${at}: RTP ports ${min}-${max} overlap ${p.what}`);
    }

    const iface = flag(c, "interface") ?? "";
    const vars = [...iface.matchAll(/\$\((\w+)\)/g)].map((m) => m[1]);
    const fromNode = vars.some((v) => (c.env ?? []).some((e) => e.name === v && e.valueFrom?.fieldRef?.fieldPath === "status.hostIP"));
    if (!fromNode) problems.push(`${at}: --interface=${iface} does not take the node's IP from the downward API (an env var from fieldRef status.hostIP)`);
  }
  return problems;
}

/**
 * Silos in anchor mode name at least one rtpengine, and when rtpengines run in the same target, every address's port
 * is one of their ng ports (--listen-ng).
 */
export function anchorRules(objects) {
  const ngPorts = new Set(workloads(objects).flatMap((w) => containersOf(w).filter(isRtpengine)).map((c) => portOf(flag(c, "listen-ng"))).filter(Boolean));
  const problems = [];
  for (const w of workloads(objects)) for (const c of containersOf(w).filter((c) => /\/callcontrol\/silo(:|@|$)/.test(c.image ?? ""))) {
    const env = environment(c, w, objects);
    if ((env.CallControl__Media__Mode ?? "").toLowerCase() !== "anchor") continue;
    const at = `${id(w)} container ${c.name}`;
    const addresses = Object.entries(env).filter(([k]) => /^CallControl__Media__Rtpengine__\d+__Address$/.test(k));
    if (!addresses.length) problems.push(`${at}: CallControl__Media__Mode=anchor without CallControl__Media__Rtpengine__0__Address`);
    if (!ngPorts.size) continue; // rtpengines outside the cluster: nothing here to compare with
    for (const [key, address] of addresses) if (!ngPorts.has(portOf(address)))
      problems.push(`${at}: ${key}=${address}: port ${portOf(address)} is no rtpengine's ng port here (${[...ngPorts].join(", ")})`);
  }
  return problems;
}
