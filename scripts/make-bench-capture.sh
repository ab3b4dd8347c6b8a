#!/usr/bin/env bash
# Record a large, real benchmark capture (generated on demand, never committed).
#
# Usage (as root):
#   scripts/make-bench-capture.sh [VARIANT] [-s|--size MB] [-o|--out DIR]
#
#   VARIANT   keepalive (default)  nginx + wrk, 100 keep-alive connections
#             short                nginx + wrk sending "Connection: close":
#                                  one request per connection, many short
#                                  connections (port churn, TIME_WAIT)
#             h2                   nghttpd --no-tls + h2load (h2c, 100
#                                  connections x 10 streams); installs
#                                  nghttp2-client / nghttp2-server with apt-get
#                                  if missing, skips with a message if it can't
#   --size    target size of the capture file in MB (10^6 bytes); default 450
#   --out     output folder; default bench/ in the repo (gitignored)
#
# Output: OUT/VARIANT.pcap: a classic pcap (microsecond, LINKTYPE_ETHERNET,
# full snaplen) of the traffic on loopback in a private network namespace
# (unshare -n) whose lo has MTU 1500 and no GSO, so every packet is at most
# 1514 bytes as on Ethernet. The load generator is stopped once the file has
# reached the target size, so the request count follows from the size (about
# 33k requests and 390-435k packets for the default 450 MB keep-alive run).
#
# tcpdump writes to /dev/shm when it has room (else straight to OUT) with a
# 1 GiB kernel buffer; the script fails if tcpdump reports packets dropped by
# kernel or lost (on lo "received by filter" must be exactly twice "captured").
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
REPO_ROOT=$(cd "$(dirname "$SELF")/.." && pwd)
PORT=80
CONNS=100
MAX_SECONDS=600   # hard bound on the load generator's run time

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/p' "$SELF" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

# ---------------------------------------------------------------------------
# Inside the namespace: $1=__inside VARIANT SIZE_BYTES OUT_FILE
# ---------------------------------------------------------------------------
# Global (the EXIT trap runs after inside() has returned).
WORKDIR="" CAPDIR="" PIDS=() CAP_PID="" LOAD_PID=""
cleanup() {
  local p
  [[ -n "$LOAD_PID" ]] && kill "$LOAD_PID" 2>/dev/null || true
  [[ -n "$CAP_PID" ]] && kill -INT "$CAP_PID" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}" $CAP_PID $LOAD_PID; do wait "$p" 2>/dev/null || true; done
  [[ -n "$WORKDIR" ]] && rm -rf "$WORKDIR"
  [[ -n "$CAPDIR" ]] && rm -rf "$CAPDIR"
  return 0
}

# stop_load: SIGINT, then SIGTERM, then SIGKILL, a few seconds apart.
stop_load() {
  local sig i
  for sig in INT TERM KILL; do
    kill -"$sig" "$LOAD_PID" 2>/dev/null || return 0
    for i in $(seq 1 50); do
      kill -0 "$LOAD_PID" 2>/dev/null || return 0
      sleep 0.1
    done
    log "load generator still running after SIG$sig"
  done
}

inside() {
  local variant=$1 target=$2 out=$3
  ip link set lo up
  ip link set lo mtu 1500
  # lo segments in software: without this tcpdump would see up-to-64 KB
  # "super-segments" (GSO) instead of MTU-sized packets.
  ip link set lo gso_max_segs 1 gso_max_size 1500

  WORKDIR=$(mktemp -d /tmp/pcap-bench.XXXXXX)
  local work=$WORKDIR
  chmod 755 "$work"
  trap cleanup EXIT

  # Content: static files of 1 KB .. 64 KB (incompressible bytes). The
  # request mix below weights the small ones, as on a real site: mean ~12 KB.
  mkdir -p "$work/www/static"
  local kb
  for kb in 1 2 4 8 16 32 64; do
    head -c $((kb * 1024)) /dev/urandom >"$work/www/static/file-${kb}k.bin"
  done
  local mix=(1 1 1 2 2 4 4 8 8 16 32 64)
  local paths=() m
  for m in "${mix[@]}"; do paths+=("/static/file-${m}k.bin"); done

  # Server.
  case $variant in
    keepalive | short)
      mkdir -p "$work/nginx-tmp"
      cat >"$work/nginx.conf" <<EOF
user root;
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path $work/nginx-tmp/body;
    proxy_temp_path $work/nginx-tmp/proxy;
    fastcgi_temp_path $work/nginx-tmp/fastcgi;
    uwsgi_temp_path $work/nginx-tmp/uwsgi;
    scgi_temp_path $work/nginx-tmp/scgi;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:$PORT backlog=4096;
        server_name localhost;
        root $work/www;
    }
}
EOF
      nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" &
      PIDS+=("$!")
      ;;
    h2)
      nghttpd --no-tls -d "$work/www" --address=127.0.0.1 "$PORT" >/dev/null 2>"$work/nghttpd.err" &
      PIDS+=("$!")
      ;;
  esac
  local i
  for i in $(seq 1 100); do
    ss -Hltn "sport = :$PORT" | grep -q LISTEN && break
    sleep 0.05
  done
  ss -Hltn "sport = :$PORT" | grep -q LISTEN || die "server did not start"

  # Capture: classic pcap, full snaplen, 1 GiB ring (-B is in KiB). No -U /
  # --immediate-mode: tcpdump writes big buffered blocks.
  local capdir capfile
  capdir=$(dirname "$out")
  local need_kb=$(((target / 1024) * 3 / 2 + 102400))
  if [[ -d /dev/shm ]] && [[ $(df -Pk /dev/shm | awk 'NR==2 {print $4}') -gt $need_kb ]]; then
    CAPDIR=$(mktemp -d /dev/shm/pcap-bench.XXXXXX)
    capdir=$CAPDIR
  fi
  capfile=$capdir/$(basename "$out").part
  tcpdump -i lo -Z root -B 1048576 -s 0 -w "$capfile" "tcp port $PORT" 2>"$work/tcpdump.err" &
  CAP_PID=$!
  for i in $(seq 1 100); do
    grep -q 'listening on' "$work/tcpdump.err" 2>/dev/null && break
    kill -0 "$CAP_PID" 2>/dev/null || { cat "$work/tcpdump.err" >&2; die "tcpdump died"; }
    sleep 0.05
  done
  sleep 1

  # Load.
  local t0 t1
  t0=$(date +%s.%N)
  case $variant in
    keepalive | short)
      {
        printf 'local paths = {'
        printf '"%s",' "${paths[@]}"
        printf '}\n'
        cat <<'EOF'
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
EOF
      } >"$work/mix.lua"
      local hdr=()
      [[ $variant == short ]] && hdr=(-H 'Connection: close')
      wrk -t 2 -c "$CONNS" -d "${MAX_SECONDS}s" --timeout 10s "${hdr[@]}" -s "$work/mix.lua" \
        "http://127.0.0.1:$PORT/" >"$work/load.out" 2>&1 &
      LOAD_PID=$!
      ;;
    h2)
      # h2load ignores SIGINT, so it gets a request count instead: the target
      # size over ~13.5 KB per request on the wire (measured with this mix),
      # rounded to whole rounds of the mix for every client (h2load gives each
      # client the URIs in order, from the first).
      local uris=() p round=$((CONNS * ${#paths[@]}))
      local nreq=$(((target / 13500 + round / 2) / round * round))
      [[ $nreq -ge $round ]] || nreq=$round
      for p in "${paths[@]}"; do uris+=("http://127.0.0.1:$PORT$p"); done
      h2load -c "$CONNS" -m 10 -t 2 -n "$nreq" "${uris[@]}" >"$work/load.out" 2>&1 &
      LOAD_PID=$!
      ;;
  esac

  # Stop the load once the capture file has reached the target size (wrk
  # stops on SIGINT and prints its summary; h2load stops by itself after its
  # request count, and is only stopped here, with SIGTERM, past 1.2 x target).
  # tcpdump writes in blocks, so the file lags the traffic by a little.
  local size=0 limit=$target t_end=$((SECONDS + MAX_SECONDS + 30))
  [[ $variant == h2 ]] && limit=$((target * 6 / 5))
  while kill -0 "$LOAD_PID" 2>/dev/null; do
    kill -0 "$CAP_PID" 2>/dev/null || { stop_load; cat "$work/tcpdump.err" >&2; die "tcpdump died during the run"; }
    size=$(stat -c %s "$capfile" 2>/dev/null || echo 0)
    if [[ $size -ge $limit || $SECONDS -ge $t_end ]]; then
      stop_load
      break
    fi
    sleep 0.1
  done
  wait "$LOAD_PID" || true
  LOAD_PID=""
  t1=$(date +%s.%N)
  # libpcap (TPACKET_V3) hands over ring blocks when full or after 1 s; a block
  # still open at SIGINT would be lost, so let every block retire first.
  sleep 2.5
  kill -INT "$CAP_PID"
  wait "$CAP_PID" || true
  CAP_PID=""

  log "load generator output:"
  grep -v '^progress: ' "$work/load.out" | sed 's/^/    /' >&2
  log "load ran for $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f') s"
  log "tcpdump: $(grep -E 'captured|received|dropped' "$work/tcpdump.err" | paste -sd, | sed 's/,/, /g')"
  local captured received dropped
  captured=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$work/tcpdump.err")
  received=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter.*/\1/p' "$work/tcpdump.err")
  dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$work/tcpdump.err")
  [[ ${dropped:-1} -eq 0 ]] || die "tcpdump dropped ${dropped:-?} packets (kernel): capture is incomplete"
  [[ ${received:-0} -eq $((2 * captured)) ]] ||
    die "tcpdump captured $captured packets but $received were received by filter (lo: expected exactly twice): capture is incomplete"

  if [[ $capfile != "$out.part" ]]; then
    log "moving $capfile to $out"
    mv "$capfile" "$out.part"
  fi
  mv "$out.part" "$out"
}

# ---------------------------------------------------------------------------
# Outside: arguments, tools, namespace.
# ---------------------------------------------------------------------------
if [[ ${1:-} == __inside ]]; then
  shift
  inside "$@"
  exit 0
fi

variant=keepalive size_mb=450 outdir=$REPO_ROOT/bench
while [[ $# -gt 0 ]]; do
  case $1 in
    keepalive | short | h2) variant=$1 ;;
    -s | --size) size_mb=${2:?}; shift ;;
    --size=*) size_mb=${1#*=} ;;
    -o | --out) outdir=${2:?}; shift ;;
    --out=*) outdir=${1#*=} ;;
    -h | --help) usage 0 ;;
    *) printf 'unknown argument: %s\n\n' "$1" >&2; usage ;;
  esac
  shift
done
[[ $size_mb =~ ^[0-9]+$ && $size_mb -gt 0 ]] || die "--size wants a whole number of MB, got: $size_mb"
[[ $(id -u) -eq 0 ]] || die "run as root (needs unshare -n and tcpdump)"

for t in unshare ip ss tcpdump capinfos bc; do
  command -v "$t" >/dev/null || die "missing tool: $t"
done
case $variant in
  keepalive | short)
    for t in nginx wrk; do command -v "$t" >/dev/null || die "missing tool: $t (apt-get install nginx-light wrk)"; done
    ;;
  h2)
    if ! command -v h2load >/dev/null || ! command -v nghttpd >/dev/null; then
      log "h2: installing nghttp2-client and nghttp2-server with apt-get"
      if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q nghttp2-client nghttp2-server >&2; then
        log "apt-get install failed; trying after apt-get update"
        apt-get update -q >&2 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q nghttp2-client nghttp2-server >&2 || true
      fi
    fi
    if ! command -v h2load >/dev/null || ! command -v nghttpd >/dev/null; then
      log "h2 variant skipped: h2load/nghttpd (nghttp2-client, nghttp2-server) are not available here"
      exit 0
    fi
    ;;
esac

mkdir -p "$outdir"
out=$(cd "$outdir" && pwd)/$variant.pcap
target=$((size_mb * 1000 * 1000))
log "variant $variant, target ${size_mb} MB -> $out"
unshare -n bash "$SELF" __inside "$variant" "$target" "$out"

log "capinfos:"
capinfos -M -t -E -c -s -d -u -x -y -i -z -o "$out" | sed 's/^/    /' >&2
conns=$(tcpdump -nn -r "$out" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' 2>/dev/null | wc -l)
resets=$(tcpdump -nn -r "$out" 'tcp[tcpflags] & tcp-rst != 0' 2>/dev/null | wc -l)
log "TCP connections (SYNs without ACK): $conns; segments with RST: $resets"
log "wrote $out ($(stat -c %s "$out") bytes)"
