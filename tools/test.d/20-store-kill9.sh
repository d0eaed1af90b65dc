#!/usr/bin/env bash
# The store's kill -9 loop: a child appends through the store with concurrent writers and
# snapshots; this parent keeps every acknowledgement the child printed in its own fsynced
# file, SIGKILLs the child at a random moment, restarts it, and checks that every
# acknowledged revision was recovered with its payload and that revisions are contiguous
# and strictly increasing.
#   STORE_TORTURE_BIN  the torture binary (default .build/debug/onvera-store-torture)
#   STORE_KILL9_CYCLES number of kill cycles (default 25)
set -euo pipefail
cd "$(dirname "$0")/../.."

bin="${STORE_TORTURE_BIN:-.build/debug/onvera-store-torture}"
if [ ! -x "$bin" ]; then
  swift build --product onvera-store-torture
fi
cycles="${STORE_KILL9_CYCLES:-25}"
work="$(mktemp -d /tmp/onvera-store-kill9.XXXXXX)"
child=""
cleanup() {
  if [ -n "$child" ]; then kill -9 "$child" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
data="$work/data"
acks="$work/acks"
: >"$acks"

lines() { wc -l <"$1" | tr -d ' '; }
during_snapshot=0

for cycle in $(seq 1 "$cycles"); do
  before=$(lines "$acks")
  writers=$((1 + RANDOM % 16))
  "$bin" run "$data" "$writers" >>"$acks" 2>"$work/cycle.log" &
  child=$!
  # Wait (bounded) for the first acknowledgement of this run, so kills land while appending;
  # every fourth cycle kills early instead, possibly during recovery itself.
  if [ $((cycle % 4)) -ne 0 ]; then
    for _ in $(seq 1 200); do
      [ "$(lines "$acks")" -gt "$before" ] && break
      kill -0 "$child" 2>/dev/null || break
      sleep 0.05
    done
  fi
  # A random moment: 0-600 ms more.
  sleep "$(printf '0.%03d' $((RANDOM % 600)))"
  if ! kill -0 "$child" 2>/dev/null; then
    echo "store kill -9: the child exited on its own in cycle $cycle:"
    tail -5 "$work/cycle.log"
    exit 1
  fi
  kill -9 "$child"
  wait "$child" 2>/dev/null || true
  child=""
  if tail -1 "$work/cycle.log" | grep -q 'snapshot begin'; then during_snapshot=$((during_snapshot + 1)); fi
  cat "$work/cycle.log" >>"$work/child.log"
  # The acknowledgements are the parent's record: make them durable before checking.
  sync "$acks"
  if ! result=$("$bin" verify "$data" "$acks" 2>&1); then
    echo "store kill -9: VIOLATION after cycle $cycle:"
    echo "$result"
    exit 1
  fi
  last="$result"
done

snapshots=$(grep -c 'snapshot done' "$work/child.log" || true)
broken=$(find "$data" -name '*.broken' | wc -l | tr -d ' ')
echo "store kill -9: $cycles cycles, $(lines "$acks") acknowledgements all recovered, $snapshots snapshots, $during_snapshot kills during a snapshot, $broken torn tails cut; last $last"
