"""An in-process federation on loopback for tests: real gRPC servers, real keys, real stores."""

from __future__ import annotations

import dataclasses
import datetime
import pathlib
from typing import Any, Callable

import grpc

from hedui.adapters.base import Adapter
from hedui.gateway.transport import Transport
from hedui.gateway.config import load_config
from hedui.gateway.directory import CIVIL_AFFAIRS, CLIENT, DEPARTMENT, DirectoryView, load_signed_directory
from hedui.gateway.errors import HeduiError
from hedui.gateway.federation import (ALL_DEPARTMENTS, CORE_DEPARTMENTS, MORE_DEPARTMENTS, Federation, NodeSpec,
                                      build_federation)
from hedui.gateway.local_api import LocalApi
from hedui.gateway.node import Node
from hedui.gateway.server import start_server
from hedui.gateway.timeutil import utcnow
from hedui.sdk import AuthorizationBuilder, Client, sign_authorization
from hedui.v1 import authorization_pb2
from hedui.v1 import common_pb2 as C

PROVINCE = "140000/MZ"
CITY = "140100/MZ"
CASE_SYSTEM = "140100/MZ/HDXT"
RS = "140000/RS"
BDC = "140000/BDC"
GA = "140000/GA"
RS_CATEGORIES = (C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT)
BDC_CATEGORIES = (C.DATA_CATEGORY_REAL_ESTATE,)
GA_CATEGORIES = (C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_VEHICLE)
ALL_CATEGORIES = RS_CATEGORIES + BDC_CATEGORIES + GA_CATEGORIES
# Node ids of the departments that join with departments="all": 140000/MZ/HYBZ, 140000/YB and so on.
MORE_DEPARTMENT_IDS = tuple(f"140000/{org}" for org, *_ in MORE_DEPARTMENTS)

# The federation the running test started; helpers that only get an address use it for TLS.
ACTIVE: "RunningFederation | None" = None


def standard_specs(adapters: dict[str, dict[str, Any] | None], departments: str = CORE_DEPARTMENTS
                   ) -> list[NodeSpec]:
    """Return province, city, case system and departments with the given adapter configs by node id.

    The departments are RS, BDC and GA, or with ``departments`` "all" also
    every department of ``MORE_DEPARTMENTS``, so that each data category has
    a source. Most tests keep the three, which start faster.
    """
    if departments not in (CORE_DEPARTMENTS, ALL_DEPARTMENTS):
        raise ValueError(f"departments must be {CORE_DEPARTMENTS!r} or {ALL_DEPARTMENTS!r}, not {departments!r}")
    more = []
    if departments == ALL_DEPARTMENTS:
        for node_id, (_, title, categories, _, _) in zip(MORE_DEPARTMENT_IDS, MORE_DEPARTMENTS, strict=True):
            more.append(NodeSpec(node_id, f"山西省{title}", DEPARTMENT, parent=PROVINCE, categories=categories,
                                 adapter=adapters.get(node_id)))
    return [
        NodeSpec(PROVINCE, "山西省民政厅", CIVIL_AFFAIRS, issues_for=("140000",)),
        NodeSpec(CITY, "太原市民政局", CIVIL_AFFAIRS, parent=PROVINCE, issues_for=("140100",)),
        NodeSpec(CASE_SYSTEM, "太原市核对系统", CLIENT, parent=CITY),
        NodeSpec(RS, "山西省人社厅", DEPARTMENT, parent=PROVINCE, categories=RS_CATEGORIES, adapter=adapters.get(RS)),
        NodeSpec(BDC, "山西省不动产登记中心", DEPARTMENT, parent=PROVINCE, categories=BDC_CATEGORIES, adapter=adapters.get(BDC)),
        NodeSpec(GA, "山西省公安厅", DEPARTMENT, parent=PROVINCE, categories=GA_CATEGORIES, adapter=adapters.get(GA)),
        *more,
    ]


@dataclasses.dataclass
class RunningFederation:
    """Nodes serving on loopback plus what a test needs to talk to them."""

    fed: Federation
    nodes: dict[str, Node]
    servers: list[Any]
    directory: DirectoryView
    # Local HTTP APIs by node id, for the nodes start_federation was asked to serve one on.
    local_apis: dict[str, LocalApi] = dataclasses.field(default_factory=dict)

    def client(self, node_id: str = CITY, caller: str = CASE_SYSTEM, target: str = PROVINCE) -> Client:
        """Return an SDK client that calls node_id as caller."""
        return Client(self.fed.addresses[node_id], self.fed.load_key(caller), self.directory, target,
                      tls=self.fed.tls_material(caller), server_node=node_id)

    def authorization(self, members: list[tuple[str, str, str]], *, categories: tuple[int, ...] = ALL_CATEGORIES,
                      purpose: int = C.PURPOSE_INITIAL_ELIGIBILITY, record_id: str = "TY-TEST-0001",
                      issuer: str = CITY, grantee: str = CITY, use_limit: int = 0,
                      window: tuple[datetime.datetime, datetime.datetime] | None = None,
                      edit: Callable[[authorization_pb2.AuthorizationRecord], None] | None = None,
                      ) -> authorization_pb2.SignedAuthorization:
        """Build and sign an authorization record for the given (id, name, relation) members."""
        now = utcnow()
        start, end = window or (now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=30))
        builder = (AuthorizationBuilder().record_id(record_id).issuer(issuer).grantee(grantee)
                   .categories(*categories).purpose(purpose).valid(start, end).use_limit(use_limit)
                   .paper_form(b"scanned letter", "王晓燕"))
        for number, name, relation in members:
            builder = builder.member(number, name, relation)
        record = builder.build()
        if edit is not None:
            edit(record)
        return sign_authorization(record, self.fed.load_key(issuer))

    def channel(self, node_id: str, as_node: str = CASE_SYSTEM) -> grpc.aio.Channel:
        """Open a mutual-TLS channel to node_id presenting as_node's certificate."""
        return Transport(self.fed.tls_material(as_node)).channel(self.fed.addresses[node_id], node_id)

    def node_at(self, address: str) -> str:
        """Return the node id listening at address."""
        return next(node_id for node_id, known in self.fed.addresses.items() if known == address)

    async def close(self) -> None:
        global ACTIVE
        if ACTIVE is self:
            ACTIVE = None
        for api in self.local_apis.values():
            await api.stop()
        for server in self.servers:
            await server.stop(0)
        for node in self.nodes.values():
            await node.close()


async def start_federation(root: pathlib.Path, adapters: dict[str, dict[str, Any] | None],
                           overrides: dict[str, Adapter] | None = None,
                           node_options: dict[str, Any] | None = None,
                           specs: list[NodeSpec] | None = None,
                           local_api: tuple[str, ...] = ()) -> RunningFederation:
    """Lay out and start every node in this process; ``overrides`` replaces adapters by node id.

    Each node in ``local_api`` also serves its local HTTP API on 127.0.0.1
    port 0, configured through a [local_api] table in its node.toml, with
    callers in api_callers.json beside it.

    Ports are chosen before the servers bind, so another process can take one
    in between on a busy machine; the layout is then made again on new ports,
    at most three times.
    """
    for attempt in range(3):
        try:
            return await _start_once(root / f"attempt-{attempt}", adapters, overrides, node_options, specs, local_api)
        except HeduiError as exc:
            if exc.reason != "CONFIG_INVALID" or attempt == 2:
                raise
    raise AssertionError("unreachable")


async def _start_once(root: pathlib.Path, adapters: dict[str, dict[str, Any] | None],
                      overrides: dict[str, Adapter] | None, node_options: dict[str, Any] | None,
                      specs: list[NodeSpec] | None, local_api: tuple[str, ...] = ()) -> RunningFederation:
    fed = build_federation(root, specs or standard_specs(adapters), node_options=node_options)
    nodes: dict[str, Node] = {}
    servers = []
    apis: dict[str, LocalApi] = {}
    try:
        for node_id, config_path in fed.configs.items():
            if node_id in local_api:
                with config_path.open("a", encoding="utf-8") as stream:
                    stream.write('\n[local_api]\nlisten = "127.0.0.1:0"\ncallers_file = "api_callers.json"\n')
            config = load_config(config_path)
            node = await Node.start(config)
            nodes[node_id] = node
            if overrides and node_id in overrides:
                if node.adapter is not None:
                    await node.adapter.close()
                node.adapter = overrides[node_id]
            server, _ = await start_server(node, fed.addresses[node_id])
            servers.append(server)
            if config.local_api is not None:
                apis[node_id] = await LocalApi.start(node, config.local_api)
    except BaseException:
        for api in apis.values():
            await api.stop()
        for server in servers:
            await server.stop(0)
        for node in nodes.values():
            await node.close()
        raise
    directory = load_signed_directory(fed.directory_file, fed.anchor(), utcnow())
    global ACTIVE
    ACTIVE = RunningFederation(fed, nodes, servers, directory, apis)
    return ACTIVE
