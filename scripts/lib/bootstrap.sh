# Sourced by every script in scripts/: makes sure .venv exists and matches uv.lock.
# A fresh machine needs only Python 3.11+; everything else comes from the lock file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
export UV_PROJECT_ENVIRONMENT="$VENV"

_find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
    return 1
}

_bootstrap() {
    if [ ! -x "$VENV/bin/uv" ]; then
        local python uv_version
        python="$(_find_python)"
        # uv's own version is pinned in uv.lock, like every other tool here.
        uv_version="$(sed -n '/^name = "uv"$/{n;s/^version = "\(.*\)"$/\1/p;}' "$ROOT/uv.lock")"
        if [ -z "$uv_version" ]; then
            echo "error: uv.lock does not pin uv; run 'uv lock' in $ROOT." >&2
            return 1
        fi
        echo "Setting up $VENV (first run only)..." >&2
        if ! "$python" -m venv "$VENV"; then
            rm -rf "$VENV"
            echo "error: '$python -m venv' failed; on Debian or Ubuntu install the venv module" \
                "first (apt-get install python3-venv)." >&2
            return 1
        fi
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$uv_version"
    fi
    # Cheap when nothing changed; installs or removes whatever the lock says otherwise.
    "$VENV/bin/uv" sync --locked --all-extras --quiet --project "$ROOT"
}

_bootstrap
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
