# Shared by scripts/run and scripts/test: install what CallControl needs on Debian 12, only when missing.
# Sourced, not run. Everything comes from Debian's archive (and NuGet, through dotnet restore).

apt_updated=0
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: $* missing and not root; install it (apt-get install $*) or rerun as root" >&2
    exit 1
  fi
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_dotnet() {
  if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    return
  fi
  # Debian 12 does not package .NET; where Microsoft's package feed is configured, this installs it.
  echo "installing the .NET 10 SDK" >&2
  apt_install dotnet-sdk-10.0 || {
    echo "error: the .NET 10 SDK is missing and apt cannot install it here (no dotnet-sdk-10.0 package)." >&2
    exit 1
  }
}

ensure_sipp() {
  command -v sipp >/dev/null 2>&1 || { echo "installing sip-tester (sipp)" >&2; apt_install sip-tester; }
}

ensure_cluster_parts() {
  local missing=()
  [ -x /usr/lib/postgresql/15/bin/pg_ctl ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] || { echo "installing ${missing[*]}" >&2; apt_install "${missing[@]}"; }
  # Debian starts the packaged services on install; the project runs its own on ports of its own.
  systemctl disable --now postgresql redis-server >/dev/null 2>&1 || true
}

# The SIP baseline bench/run compares against: Kamailio 5.6 with its PostgreSQL driver, from Debian's archive.
ensure_kamailio() {
  local missing=()
  command -v kamailio >/dev/null 2>&1 || missing+=(kamailio)
  dpkg-query -W -f='${Status}' kamailio-postgres-modules 2>/dev/null | grep -q 'ok installed' || missing+=(kamailio-postgres-modules)
  [ ${#missing[@]} -eq 0 ] || { echo "installing ${missing[*]}" >&2; apt_install "${missing[@]}"; }
  # Debian enables a kamailio service on install (its stock config takes 5060); the bench runs its own.
  systemctl disable --now kamailio >/dev/null 2>&1 || true
}

# The fault suite: curl for readiness, ip and nft (nftables) for the partition scenario's own network namespace.
ensure_fault_tools() {
  local missing=()
  command -v nft >/dev/null 2>&1 || missing+=(nftables)
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] || { echo "installing ${missing[*]}" >&2; apt_install "${missing[@]}"; }
}

# The fail2ban test (tests/CallControl.EndToEnd.Tests, Fail2BanTests): its own fail2ban-server on a temp config, socket
# and pid file; contrib/fail2ban is what it proves. Without Recommends (python3-pyinotify, python3-systemd, whois,
# nftables or iptables): the shipped jail polls its log, and the test bans through a file action, so none is needed.
ensure_fail2ban() {
  command -v fail2ban-server >/dev/null 2>&1 && command -v fail2ban-regex >/dev/null 2>&1 && return
  echo "installing fail2ban" >&2
  apt_install --no-install-recommends fail2ban
  # Debian enables and starts a fail2ban service on install (with an sshd jail); the test runs its own server. Only
  # stopped here, after the install this function made: a host's own fail2ban, installed before, is left as it is.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now fail2ban >/dev/null 2>&1 || true
  else
    invoke-rc.d fail2ban stop >/dev/null 2>&1 || true
    update-rc.d fail2ban disable >/dev/null 2>&1 || true
  fi
}

# The NAT end-to-end tests (tests/CallControl.EndToEnd.Tests, NatRouter; docs/nat.md): ip for the phone's and the
# router's namespaces, nft for the router's masquerade, conntrack to read and flush the router's NAT bindings, python3
# for the harness's own phone-side peer.
ensure_nat_tools() {
  local missing=()
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v nft >/dev/null 2>&1 || missing+=(nftables)
  command -v conntrack >/dev/null 2>&1 || missing+=(conntrack)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  [ ${#missing[@]} -eq 0 ] || { echo "installing ${missing[*]}" >&2; apt_install "${missing[@]}"; }
}

# The DNS tests (RFC 3263: NAPTR, SRV, A records a test serves on a loopback port of its own; docs/interop.md):
# dnsmasq's binary alone (dnsmasq-base: no service that would take port 53).
ensure_dnsmasq() {
  command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || { echo "installing dnsmasq-base" >&2; apt_install --no-install-recommends dnsmasq-base; }
}

# The baresip interop tests (BaresipTests; docs/interop.md): Debian's baresip 1.0, its core modules only (account,
# menu, stdio, g711, ausine), headless on loopback ports of its own; without Recommends (no sound or video stack).
ensure_baresip() {
  command -v baresip >/dev/null 2>&1 || { echo "installing baresip-core" >&2; apt_install --no-install-recommends baresip-core; }
}

# The media tests (tests/CallControl.Media.Tests; docs/media.md): rtpengine 10.5 from Debian, run by the tests
# themselves in userspace (--table=-1) on loopback ports of their own. Without Recommends (the recording daemon and
# utils are not used). Debian's package enables and starts an rtpengine service on install, with its own config
# (interface any, ng on localhost:2223, kernel table 0): a policy-rc.d that denies starts is put in place for the
# install when none is there, and the service is disabled afterwards. Only after an install this function made: a
# host's own rtpengine, installed before, is left as it is.
ensure_rtpengine() {
  command -v rtpengine >/dev/null 2>&1 && return
  echo "installing rtpengine-daemon" >&2
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ "$(id -u)" -eq 0 ] && [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# ensure_rtpengine (scripts/lib/prereqs.sh): no service starts during the install.\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  apt_install --no-install-recommends rtpengine-daemon || { [ "$own_policy" = 0 ] || rm -f "$policy"; exit 1; }
  [ "$own_policy" = 0 ] || rm -f "$policy"
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now rtpengine-daemon >/dev/null 2>&1 || true
  else
    invoke-rc.d rtpengine-daemon stop >/dev/null 2>&1 || true
    update-rc.d rtpengine-daemon disable >/dev/null 2>&1 || true
  fi
}
