#!/usr/bin/env bash
# Checks that docs/api.md lists exactly the operations a running gateway publishes in its OpenAPI document.
#
#   docs/check-openapi.sh [gateway-url]
#
# Without an argument it uses the first region of the running local cluster (.meridian/cluster.json, or
# $MERIDIAN_HOME/cluster.json). Prints the differences and exits 1 when they disagree.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
CLUSTER="${MERIDIAN_HOME:-$ROOT/.meridian}/cluster.json"

gateway="${1:-}"
if [[ -z "$gateway" ]]; then
  if [[ ! -f "$CLUSTER" ]]; then
    echo "no gateway URL given and no running cluster ($CLUSTER); start one with ./meridian up -d" >&2
    exit 2
  fi
  gateway="$(sed -n 's/.*"gateway" *: *"\([^"]*\)".*/\1/p' "$CLUSTER" | head -n 1)"
fi

# "METHOD /path" for every operation under `paths:` of the YAML document (paths at 2 spaces, methods at 4).
published="$(curl -fsS "$gateway/q/openapi" | awk '
  /^paths:/ { inside = 1; next }
  inside && /^[^ ]/ { inside = 0 }
  inside && /^  [^ ]/ { path = $0; sub(/^  /, "", path); sub(/:$/, "", path); gsub(/"/, "", path); next }
  inside && /^    (get|put|post|delete|patch|head|options):$/ { method = $1; sub(/:$/, "", method); print toupper(method), path }
' | sort)"

# The same list as documented: the lines between the openapi markers of docs/api.md.
documented="$(sed -n '/<!-- openapi:begin -->/,/<!-- openapi:end -->/p' "$ROOT/docs/api.md" \
  | grep -E '^(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS) /' | sort)"

if [[ "$published" == "$documented" ]]; then
  echo "docs/api.md matches $gateway/q/openapi ($(wc -l <<<"$published") operations)"
  exit 0
fi
echo "docs/api.md and $gateway/q/openapi disagree (< documented only, > published only):"
diff <(echo "$documented") <(echo "$published") | grep -E '^[<>]' || true
exit 1
