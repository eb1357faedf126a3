"""start.sh and stop.sh for a federation kept by `hedui demo --keep`.

start.sh refuses to start a second copy of a federation that is already
running, and appends to the logs instead of truncating them. stop.sh waits
until every process has exited. Both print in Chinese, or in English when
HEDUI_LANG starts with "en"; when HEDUI_LANG is unset, they use the language
that `hedui demo` ran with.
"""

from __future__ import annotations

import pathlib
import shlex
import sys
from typing import Any

from hedui.gateway.errors import current_lang

# How long stop.sh waits after SIGTERM before it sends SIGKILL; HEDUI_STOP_SECONDS overrides it at run time.
STOP_TIMEOUT_SECONDS = 15
# How long start.sh waits for each process's READY line, in steps of 0.2 s (30 s).
READY_STEPS = 150

# Shell functions shared by both scripts. The language is fixed when the script is written
# (@LANG@), and HEDUI_LANG overrides it; the export also sets the language of the nodes.
_PRELUDE = r'''cd "$(dirname "$0")"
export HEDUI_LANG="${HEDUI_LANG:-@LANG@}"

print_message() {  # print_message ZH EN: print the message in the chosen language
  case "$HEDUI_LANG" in [Ee][Nn]*) printf '%s\n' "$2" ;; *) printf '%s\n' "$1" ;; esac
}

alive() {  # alive PID_FILE: succeed when the process recorded there still runs and is a hedui process
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 1
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  # A pid may have been reused by another program since; on Linux, check that the command line
  # runs one of the modules start.sh launches. A bare "hedui" would also match any program run
  # from a folder or virtual environment whose path contains it.
  # An exited process whose parent has not reaped it yet has an empty command line, so it counts as stopped.
  if [ -r "/proc/$pid/cmdline" ]; then
    grep -q -a -e 'hedui\.gateway\.cli' -e 'hedui\.adapters\.standin' "/proc/$pid/cmdline"
  fi
}
'''

_START_CHECKS = r'''
# Refuse to start a second copy: it could not bind the ports, and starting it would replace
# the pid files, so stop.sh could no longer stop the processes that serve.
running=""
for pid_file in run/*.pid; do
  if alive "$pid_file"; then running="$running $(basename "$pid_file" .pid)"; fi
done
if [ -n "$running" ]; then
  print_message "未启动：该联邦的进程仍在运行（${running# }）。没有改动任何文件。如需重启，请先运行 ./stop.sh。" \
      "not started: processes of this federation are still running (${running# }). Nothing was changed; run ./stop.sh first to restart it." >&2
  exit 1
fi

# A port that accepts connections belongs to a copy started another way, for example `hedui demo` itself.
# NOTE: the ports are those of the generated configurations; a listen address edited later is not checked.
busy=""
for port in @PORTS@; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then busy="$busy $port"; fi
done
if [ -n "$busy" ]; then
  print_message "未启动：端口 ${busy# } 已被占用（可能 hedui demo 或另一份该联邦仍在运行）。没有改动任何文件。请先停止占用端口的进程。" \
      "not started: port(s) ${busy# } already in use (hedui demo or another copy of this federation may still run). Nothing was changed; stop the process that uses the port first." >&2
  exit 1
fi

mkdir -p run logs
rm -f run/*.pid
stamp="$(date '+%Y-%m-%d %H:%M:%S')"

launch() {  # launch NAME COMMAND...: start COMMAND in the background, appending its stderr to logs/NAME.log
  local name="$1"
  shift
  printf '== start.sh %s ==\n' "$stamp" >> "logs/$name.log"
  "$@" > "logs/$name.out" 2>> "logs/$name.log" &
  echo $! > "run/$name.pid"
}
'''

_START_WAIT = r'''
# Wait until every process has printed its READY line, so callers can use the federation at once.
for name in @NAMES@; do
  for _ in $(seq @STEPS@); do
    grep -q READY "logs/$name.out" 2>/dev/null && break
    # Stop waiting for a process that has exited. Bash reaps its children, so kill -0 fails for them;
    # alive would also fail for a child that has forked but not yet executed Python.
    kill -0 "$(cat "run/$name.pid")" 2>/dev/null || break
    sleep 0.2
  done
  if ! grep -q READY "logs/$name.out" 2>/dev/null; then
    print_message "未就绪：$name（原因见 logs/$name.log）。已启动的进程可用 ./stop.sh 停止。" \
        "not ready: $name (see logs/$name.log). Stop the processes already started with ./stop.sh." >&2
    exit 1
  fi
done
print_message "已启动 @COUNT@ 个进程；用 ./stop.sh 停止。" "processes started: @COUNT@; stop them with ./stop.sh"
'''

_STOP = r'''
timeout="${HEDUI_STOP_SECONDS:-@TIMEOUT@}"
case "$timeout" in ''|*[!0-9]*) timeout=@TIMEOUT@ ;; esac

# 1. Send SIGTERM to every recorded process that still runs; forget the pid files of the others.
waiting=()
for pid_file in run/*.pid; do
  [ -e "$pid_file" ] || continue
  if alive "$pid_file" && kill "$(cat "$pid_file")" 2>/dev/null; then
    waiting+=("$pid_file")
  else
    rm -f "$pid_file"
  fi
done
count=${#waiting[@]}

# wait_for STEPS: wait up to STEPS times 0.2 s until no process of $waiting runs; keep the running ones in $waiting.
wait_for() {
  local left pid_file
  for _ in $(seq "$1"); do
    left=()
    for pid_file in "${waiting[@]}"; do
      if alive "$pid_file"; then left+=("$pid_file"); fi
    done
    waiting=("${left[@]}")
    [ ${#waiting[@]} -eq 0 ] && return 0
    sleep 0.2
  done
  return 1
}

# 2. Nodes write a signed audit checkpoint on SIGTERM, which takes a few seconds on a loaded machine.
if ! wait_for $((timeout * 5)); then
  names=$(for pid_file in "${waiting[@]}"; do basename "$pid_file" .pid; done | tr '\n' ' ')
  print_message "以下进程 $timeout 秒内未退出，已强制结束（SIGKILL）：${names% }" \
      "these processes did not exit within $timeout s and were killed (SIGKILL): ${names% }" >&2
  for pid_file in "${waiting[@]}"; do kill -KILL "$(cat "$pid_file")" 2>/dev/null; done
  if ! wait_for 25; then
    names=$(for pid_file in "${waiting[@]}"; do basename "$pid_file" .pid; done | tr '\n' ' ')
    print_message "以下进程仍在运行：${names% }（进程号在 run/ 中）。" "still running: ${names% } (pids in run/)." >&2
    exit 1
  fi
fi

# 3. Every process has exited.
rm -f run/*.pid
if [ "$count" -eq 0 ]; then
  print_message "没有正在运行的进程。" "no process was running."
else
  print_message "已停止 $count 个进程。" "processes stopped: $count."
fi
'''


def write_control_scripts(root: pathlib.Path, standins: dict[str, str], fed: Any, lang: str | None = None) -> None:
    """Write start.sh and stop.sh so a kept federation can be run again with the same ports.

    ``standins`` maps each stand-in's data folder name under ``root`` to its URL.
    ``lang`` ("zh" or "en", default HEDUI_LANG) is the scripts' language when HEDUI_LANG is unset at run time.
    """
    lang = lang or current_lang()
    python = shlex.quote(sys.executable)

    # (name, command, port) of every process, stand-ins first: the nodes call them.
    processes = []
    for folder, url in standins.items():
        port = url.rsplit(":", 1)[1]
        processes.append((folder, f"{python} -m hedui.adapters.standin.http_service --host 127.0.0.1 --port {port} "
                                  f"--data {shlex.quote(folder)}", port))
    for node_id, config in fed.configs.items():
        relative = shlex.quote(str(config.relative_to(root)))
        port = fed.addresses[node_id].rsplit(":", 1)[1]
        processes.append((config.parent.name, f"{python} -m hedui.gateway.cli node run --config {relative}", port))
    names = " ".join(name for name, _, _ in processes)

    prelude = _PRELUDE.replace("@LANG@", lang)
    start = [
        "#!/usr/bin/env bash",
        "# Start the stand-in department systems and every node of this federation in the background.",
        "set -euo pipefail",
        prelude,
        _START_CHECKS.replace("@PORTS@", " ".join(port for _, _, port in processes)),
        *(f"launch {name} {command}" for name, command, _ in processes),
        _START_WAIT.replace("@NAMES@", names).replace("@STEPS@", str(READY_STEPS))
                   .replace("@COUNT@", str(len(processes))),
    ]
    (root / "start.sh").write_text("\n".join(start), encoding="utf-8")

    stop = [
        "#!/usr/bin/env bash",
        "# Stop every process whose pid is in run/ (start.sh writes them) and wait until each has exited.",
        prelude,
        _STOP.replace("@TIMEOUT@", str(STOP_TIMEOUT_SECONDS)),
    ]
    (root / "stop.sh").write_text("\n".join(stop), encoding="utf-8")
    for script in ("start.sh", "stop.sh"):
        (root / script).chmod(0o755)
