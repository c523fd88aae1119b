#!/usr/bin/env bash
# Install ante at the commit this action is pinned to, into a virtual environment that the
# action caches whole (key: OS, Python, ante's version, the lockfile and ante's sources), so a
# warm start only restores a folder. Cold: uv (from the package index) installs the locked,
# hash-checked dependencies and builds ante's own wheel from this commit; importing every
# module of ante then compiles what it uses (not every file of every dependency).
#
#   setup.sh key       print key=... and venv=... (GITHUB_OUTPUT format)
#   setup.sh install   build the environment (on a cache miss)
#   setup.sh activate  put its bin/ on PATH
set -euo pipefail

SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
PYTHON=${PYTHON:-python3}
UV_VERSION=0.13.9
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$SOURCE/scripts/ante/__init__.py")
VENV=${ANTE_VENV:-$HOME/.cache/ante/venv-$VERSION}

key() {
    local python lock sources
    python=$("$PYTHON" -c 'import platform, sys; print(platform.python_implementation() + ".".join(map(str, sys.version_info[:3])))')
    lock=$(sha256sum "$SOURCE/requirements.lock" | cut -c1-16)
    sources=$(cd "$SOURCE" && find scripts/ante pyproject.toml -type f ! -name '*.pyc' ! -path '*__pycache__*' -print0 \
        | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
    echo "key=ante-${RUNNER_OS:-$(uname -s)}-$python-$VERSION-$lock-$sources"
    echo "venv=$VENV"
}

install() {
    local uv
    uv=$(command -v uv || true)
    if [ -z "$uv" ]; then
        "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --no-compile --only-binary=:all: --target "$VENV.uv" "uv==$UV_VERSION"
        uv="$VENV.uv/bin/uv"
    fi
    rm -rf "$VENV"
    "$uv" venv --quiet --python "$PYTHON" "$VENV"
    # The lock is the whole runtime set (make lock): installed as it is, nothing resolved.
    "$uv" pip install --quiet --no-deps --require-hashes --python "$VENV/bin/python" -r "$SOURCE/requirements.lock"
    "$uv" pip install --quiet --no-deps --python "$VENV/bin/python" "$SOURCE"
    # Every module of ante imported once: proof the environment is complete, and the bytecode
    # of exactly what ante uses written here, once, so every job restoring it starts fast.
    env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/python" -c '
import importlib, pkgutil, ante
for module in pkgutil.walk_packages(ante.__path__, "ante."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)'
    rm -rf "$VENV.uv"
    "$VENV/bin/ante" --version
}

activate() {
    echo "$VENV/bin" >> "${GITHUB_PATH:-/dev/null}"
    "$VENV/bin/ante" --version
}

"$@"
