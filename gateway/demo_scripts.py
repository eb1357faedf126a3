"""start.sh and stop.sh for a federation kept by `hedui demo --keep`."""

from __future__ import annotations

import pathlib
import shlex
import sys
from typing import Any


def write_control_scripts(root: pathlib.Path, standins: dict[str, str], fed: Any) -> None:
    """Write start.sh and stop.sh so a kept federation can be run again with the same ports.

    ``standins`` maps each stand-in's data folder name under ``root`` to its URL.
    """
    python = shlex.quote(sys.executable)
    lines = [
        "#!/usr/bin/env bash",
        "# Start the stand-in department systems and every node of this federation in the background.",
        "set -euo pipefail",
        'cd "$(dirname "$0")"',
        "mkdir -p run logs",
    ]
    for folder, url in standins.items():
        port = url.rsplit(":", 1)[1]
        lines.append(f"{python} -m hedui.adapters.standin.http_service --host 127.0.0.1 --port {port} --data {folder} "
                     f"> logs/{folder}.out 2> logs/{folder}.log & echo $! > run/{folder}.pid")
    for node_id, config in fed.configs.items():
        name = config.parent.name
        relative = config.relative_to(root)
        lines.append(f"{python} -m hedui.gateway.cli node run --config {shlex.quote(str(relative))} "
                     f"> logs/{name}.out 2> logs/{name}.log & echo $! > run/{name}.pid")
    # Wait until every process has printed its READY line, so callers can use the federation at once.
    outs = " ".join([f"logs/{folder}.out" for folder in standins]
                    + [f"logs/{config.parent.name}.out" for config in fed.configs.values()])
    lines += [
        f"for out in {outs}; do",
        '  for _ in $(seq 150); do grep -q READY "$out" 2>/dev/null && break; sleep 0.2; done',
        '  grep -q READY "$out" || { echo "not ready: $out (see logs/)" >&2; exit 1; }',
        "done",
        'echo "started; stop with ./stop.sh"',
    ]
    (root / "start.sh").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stop = [
        "#!/usr/bin/env bash",
        "# Stop every process that start.sh started.",
        'cd "$(dirname "$0")"',
        'for pid_file in run/*.pid; do [ -e "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null; rm -f "$pid_file"; done',
        'echo "stopped"',
    ]
    (root / "stop.sh").write_text("\n".join(stop) + "\n", encoding="utf-8")
    for script in ("start.sh", "stop.sh"):
        (root / script).chmod(0o755)
