"""The `hedui` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import pathlib
import sys

from hedui import __version__
from hedui.gateway import cli_api, cli_audit, cli_directory, cli_pki, cli_review
from hedui.gateway import _argparse_zh
from hedui.gateway._argparse_zh import HeduiArgumentParser
from hedui.gateway.errors import HeduiError, current_lang


def _t(zh: str, en: str) -> str:
    return en if current_lang() == "en" else zh


def _apply_lang(argv: list[str]) -> None:
    """Honour --lang before the parser is built, so help text is localized too."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            os.environ["HEDUI_LANG"] = argv[index + 1]
        elif arg.startswith("--lang="):
            os.environ["HEDUI_LANG"] = arg.split("=", 1)[1]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = HeduiArgumentParser(
        prog="hedui", description=_t("hedui：社会救助家庭经济状况核对联邦数据交换网关",
                                     "hedui: federated data-exchange gateway for household economic status verification"))
    parser.add_argument("--version", action="version", version=f"hedui {__version__}")
    parser.add_argument("--lang", choices=("zh", "en"), help=_t("输出语言（默认中文，或由 HEDUI_LANG 设定）",
                                                               "output language (default Chinese, or HEDUI_LANG)"))
    parser.add_argument("-v", "--verbose", action="store_true", help=_t("输出调试日志", "debug logging"))
    subparsers = parser.add_subparsers(dest="command", required=True)

    from hedui.gateway import demo

    demo.register(subparsers)
    node = subparsers.add_parser("node", help=_t("运行节点", "run a node")).add_subparsers(dest="node_command", required=True)
    run = node.add_parser("run", help=_t("按配置文件启动节点并持续服务", "start a node from its configuration and serve"))
    run.add_argument("--config", type=pathlib.Path, required=True, help=_t("节点配置文件（TOML）", "node configuration file (TOML)"))
    run.set_defaults(handler=run_node_command)

    cli_directory.register(subparsers)
    cli_audit.register(subparsers)
    cli_pki.register(subparsers)
    cli_api.register(subparsers)
    cli_review.register(subparsers)
    return parser


def run_node_command(args: argparse.Namespace) -> int:
    """Run a node until SIGTERM."""
    from hedui.gateway.config import load_config
    from hedui.gateway.server import run_node

    asyncio.run(run_node(load_config(args.config)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `hedui` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _apply_lang(argv)
    _argparse_zh.install()
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    if args.command == "node" and not args.verbose:
        # A running node is a service: its starts, stops, refusals and local
        # API callers belong in its log, while gRPC's own chatter stays out.
        logging.getLogger("hedui").setLevel(logging.INFO)
    try:
        return int(args.handler(args) or 0)
    except HeduiError as error:
        print(_t("错误", "error") + f" [{error.reason}]: {error.message()}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (for example `head`) stopped early; that is not an error of ours.
        sys.stderr.close()
        return 0
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(_t("错误", "error") + f" [IO_ERROR]:{where} {error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
