# Sourced by tools/test and the integration scripts: a Python venv with the
# real gRPC peers, under .build so it stays out of git.
ONVERA_VENV="${ONVERA_VENV:-$PWD/.build/venv}"
ONVERA_PIP_PACKAGES=(
  "grpcio==1.76.0" "grpcio-tools==1.76.0" "grpcio-health-checking==1.76.0"
  "grpcio-reflection==1.76.0" "grpcio-status==1.76.0" "h2==4.3.0"
)

ensure_venv() {
  local stamp="$ONVERA_VENV/.onvera-packages"
  local want="${ONVERA_PIP_PACKAGES[*]}"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  python3 -m venv "$ONVERA_VENV"
  "$ONVERA_VENV/bin/pip" install -q --disable-pip-version-check "${ONVERA_PIP_PACKAGES[@]}"
  echo "$want" > "$stamp"
}
