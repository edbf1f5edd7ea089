#!/usr/bin/env bash
# discover with attribution against lsns, and the cost of a selector (issue 16).
#
#   sudo bash scripts/bench_owners.sh [path/to/rnetns]     (default target/release/rnetns)
#
# Re-executes itself in a private sandbox (mount, net and pid namespaces; tmpfs on /run,
# /run/netns and /tmp), then: 1000 named namespaces, 500 processes each in one of them and
# each in its own Docker-style cgroup (`docker-ID.scope`, in a private named cgroup-v1
# hierarchy, removed at the end) with a Docker state file (config.v2.json) per container,
# and farm-bench's paired runs (falling back to nothing if farm-bench is missing).
set -euo pipefail
R=$(realpath "${1:-target/release/rnetns}")
if [ -z "${RNETNS_BENCH_INNER:-}" ]; then
  exec env RNETNS_BENCH_INNER=1 unshare --mount --net --pid --fork --mount-proc --propagation private \
    bash "$0" "$R"
fi
command -v farm-bench >/dev/null || { echo "farm-bench is needed" >&2; exit 1; }
mount --make-rprivate /
mount -t tmpfs t /run; mkdir /run/netns; mount -t tmpfs t /run/netns; mount -t tmpfs t /tmp
mkdir /tmp/cg; mount -t cgroup -o none,name=rnetns-test rnetns-cg /tmp/cg
CG=/tmp/cg/bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'); mkdir "$CG"
PIDS=""
cleanup() { kill $PIDS 2>/dev/null || true; wait 2>/dev/null || true; find "$CG" -depth -type d -exec rmdir {} + 2>/dev/null || true; umount /tmp/cg; }
trap cleanup EXIT
for i in $(seq 1000); do echo "add n$i"; done > /tmp/b; "$R" -batch /tmp/b
for i in $(seq 500); do
  id=$(printf '%064x' $((0xabc000 + i)))
  "$R" exec "n$i" sleep 1000 </dev/null >/dev/null 2>&1 & p=$!; PIDS="$PIDS $p"
  mkdir -p "$CG/system.slice/docker-$id.scope" "/tmp/docker/containers/$id"
  printf '{"ID":"%s","Name":"/c%d","State":{"Running":true,"Pid":%d},"Config":{"Labels":{}}}' \
    "$id" "$i" "$p" > "/tmp/docker/containers/$id/config.v2.json"
  echo "$p" > "$CG/system.slice/docker-$id.scope/cgroup.procs"
done
for p in $PIDS; do until [ "$(cat /proc/$p/comm)" = sleep ]; do sleep 0.01; done; done
export RNETNS_DOCKER_ROOT=/tmp/docker
"$R" -j discover | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), "namespaces,", sum(len(x["owners"]) for x in d), "owners")'
show() { grep -E '^(A|B) =|A/B (cpu|wall)'; }
farm-bench -n 30 --warmup 3 --vs 'lsns -t net -J' -- "$R" -j discover | show
farm-bench -n 30 --warmup 3 --vs 'lsns -t net' -- "$R" discover | show
farm-bench -n 30 --warmup 3 --vs "$R -j discover" -- "$R" exec container:c250 true | show
RNETNS_DOCKER_ROOT= farm-bench -n 30 --warmup 3 --vs 'lsns -t net -J' -- "$R" -j discover | show
