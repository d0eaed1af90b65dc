#!/usr/bin/env bash
# The onvera CLI end to end: Tests/Interop/cli/test_cli.py drives the built `onvera`
# against real onvera-server processes on free ports (deploy with follow, failures,
# destroy prompts through a pipe, JSON, config file, overrides, Ctrl+C, a server
# killed and restarted mid-follow, a tmux capture of the live display, and TLS to
# onvera-echo with a CA made here).
set -euo pipefail
cd "$(dirname "$0")/../.."
export ONVERA_BIN=${ONVERA_BIN:-$PWD/.build/debug/onvera}
export ONVERA_SERVER_BIN=${ONVERA_SERVER_BIN:-$PWD/.build/debug/onvera-server}
export ONVERA_ECHO_BIN=${ONVERA_ECHO_BIN:-$PWD/.build/debug/onvera-echo}
[ -x "$ONVERA_BIN" ] || swift build --product onvera
[ -x "$ONVERA_SERVER_BIN" ] || swift build --product onvera-server
[ -x "$ONVERA_ECHO_BIN" ] || swift build --product onvera-echo
command -v tmux >/dev/null || echo "50-cli: tmux not installed; its check will fail"
exec python3 Tests/Interop/cli/test_cli.py
