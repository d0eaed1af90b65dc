#!/usr/bin/env bash
# The short version of the reliability soak (tools/soak/run --short): the crash
# loop (20 kill -9 cycles), disk faults under libfiu, hostile input and the load
# run (1 minute), against the debug onvera-server. Results go to .build/soak/.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec tools/soak/run --short
