"""`hedui api token` commands: the bearer tokens of the local API's callers."""

from __future__ import annotations

import argparse
import pathlib

from hedui.gateway import _local_api_callers as callers
from hedui.gateway.config import LocalApiConfig, load_config
from hedui.gateway.errors import HeduiError, Reason, current_lang


def _t(zh: str, en: str) -> str:
    return en if current_lang() == "en" else zh


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the api command and its token add, list and remove subcommands."""
    api = subparsers.add_parser("api", help=_t("节点本地 HTTP/JSON API", "the node's local HTTP/JSON API"))
    token = api.add_subparsers(dest="api_command", required=True).add_parser(
        "token", help=_t("调用方令牌", "caller tokens"))
    commands = token.add_subparsers(dest="token_command", required=True)

    def config_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--config", type=pathlib.Path, required=True,
                            help=_t("节点配置文件（TOML），须含 [local_api] 表", "node configuration file (TOML) with a [local_api] table"))

    add = commands.add_parser("add", help=_t("登记调用方并生成令牌（只显示一次）", "register a caller and generate its token (shown once)"))
    add.add_argument("name", help=_t("调用方名称，例如 hdxt-case-system", "caller name, for example hdxt-case-system"))
    config_option(add)
    add.set_defaults(handler=run_token_add)

    listing = commands.add_parser("list", help=_t("列出已登记的调用方", "list registered callers"))
    config_option(listing)
    listing.set_defaults(handler=run_token_list)

    remove = commands.add_parser("remove", help=_t("移除调用方，其令牌立即失效", "remove a caller; its token stops working at once"))
    remove.add_argument("name", help=_t("调用方名称", "caller name"))
    config_option(remove)
    remove.set_defaults(handler=run_token_remove)


def _api_config(path: pathlib.Path) -> LocalApiConfig:
    config = load_config(path)
    if config.local_api is None:
        raise HeduiError(Reason.CONFIG_INVALID, str(path),
                         ("没有 [local_api] 表；请先在配置中加入 [local_api] 和 listen",
                          "there is no [local_api] table; add [local_api] with listen to the configuration first"),
                         "local_api")
    return config.local_api


def run_token_add(args: argparse.Namespace) -> int:
    """Register a caller and print its token once; only the token's SHA-256 is stored."""
    api = _api_config(args.config)
    token = callers.add_caller(api.callers_file, args.name)
    print(_t(f"已登记调用方 {args.name}。令牌（只显示这一次，请交给该系统妥善保存）：",
             f"registered caller {args.name}. Token (shown only now; hand it to that system and keep it secret):"))
    print(token)
    print(_t(f"调用方文件：{api.callers_file}（只保存令牌的 SHA-256）",
             f"callers file: {api.callers_file} (holds only the token's SHA-256)"))
    return 0


def run_token_list(args: argparse.Namespace) -> int:
    """Print each caller's name, creation time and the start of its token digest."""
    api = _api_config(args.config)
    registered = callers.read_callers(api.callers_file)
    if not registered:
        print(_t("还没有调用方；用 hedui api token add 名称 --config 配置文件 登记。",
                 "no callers yet; register one with hedui api token add NAME --config FILE."))
        return 0
    width = max(len(caller.name) for caller in registered)
    for caller in registered:
        print(f"{caller.name:<{width}}  {caller.created_at}  sha256:{caller.token_sha256.hex()[:12]}")
    return 0


def run_token_remove(args: argparse.Namespace) -> int:
    """Remove a caller; the running node rejects its token from the next call on."""
    api = _api_config(args.config)
    callers.remove_caller(api.callers_file, args.name)
    print(_t(f"已移除调用方 {args.name}，其令牌已失效。", f"removed caller {args.name}; its token no longer works."))
    return 0
