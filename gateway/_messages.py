"""Localized message catalog for reason codes: Simplified Chinese and English."""

from __future__ import annotations

# Each reason code maps to (grpc status name, Chinese template, English template).
# Templates take {value} (the offending value, already masked where sensitive)
# and {detail}; each ends with what the reader should do next.
CATALOG: dict[str, tuple[str, str, str]] = {
    "MALFORMED_MESSAGE": (
        "INVALID_ARGUMENT",
        "消息格式无效：{detail}。请检查调用方生成的消息是否符合 hedui.v1 数据标准。",
        "Malformed message: {detail}. Check that the caller builds messages to the hedui.v1 schema.",
    ),
    "INVALID_ID_NUMBER": (
        "INVALID_ARGUMENT",
        "公民身份号码无效：{value}（{detail}）。请核对号码的位数、出生日期和末位校验码。",
        "Invalid resident ID number {value} ({detail}). Check its length, birth date and check character.",
    ),
    "INVALID_DIVISION_CODE": (
        "INVALID_ARGUMENT",
        "行政区划代码无效：{value}（{detail}）。请使用 GB/T 2260 六位代码。",
        "Invalid division code {value} ({detail}). Use a six-digit GB/T 2260 code.",
    ),
    "INVALID_NODE_ID": (
        "INVALID_ARGUMENT",
        "节点标识无效：{value}。格式应为“六位区划代码/机构代码[/子系统]”，例如 140100/MZ。",
        "Invalid node id {value}. Use DIVISION/ORG[/SUBSYSTEM], for example 140100/MZ.",
    ),
    "UNKNOWN_CALLER": (
        "UNAUTHENTICATED",
        "调用方 {value} 不在联邦目录中。请确认该节点已在目录中登记并使用最新目录。",
        "Caller {value} is not in the federation directory. Register the node and use the latest directory.",
    ),
    "UNKNOWN_KEY": (
        "UNAUTHENTICATED",
        "节点 {value} 的签名密钥 {detail} 不在联邦目录中或不在有效期内。请更新目录或改用有效密钥。",
        "Signing key {detail} of node {value} is not in the directory or not valid now. Update the directory or use a valid key.",
    ),
    "SIGNATURE_INVALID": (
        "UNAUTHENTICATED",
        "{value} 的签名验证失败（{detail}）。消息可能被篡改，或签名使用了错误的密钥。",
        "Signature of {value} did not verify ({detail}). The message may have been altered or signed with the wrong key.",
    ),
    "CLOCK_SKEW": (
        "UNAUTHENTICATED",
        "请求签发时间 {value} 超出允许的时钟偏差（{detail}）。请校准调用方时钟后重新发起请求。",
        "Request issue time {value} is outside the allowed clock skew ({detail}). Fix the caller's clock and send a new request.",
    ),
    "REPLAY_DETECTED": (
        "UNAUTHENTICATED",
        "重放请求：{detail} {value} 已经处理过。每次请求须使用新的请求编号和随机数。",
        "Replayed request: {detail} {value} was already seen. Each request needs a new request id and nonce.",
    ),
    "HOP_CHAIN_INVALID": (
        "UNAUTHENTICATED",
        "转发链无效：{detail}（节点 {value}）。请求在转发途中可能被篡改。",
        "Invalid hop chain: {detail} (node {value}). The request may have been altered in transit.",
    ),
    "ROUTE_NOT_FOUND": (
        "NOT_FOUND",
        "找不到通往节点 {value} 的路由：{detail}。请检查联邦目录中的上级节点和地址。",
        "No route to node {value}: {detail}. Check the parent and address entries in the directory.",
    ),
    "AUTHORIZATION_MISSING": (
        "PERMISSION_DENIED",
        "请求未附带授权记录。请附上家庭签署的核对授权记录。",
        "The request carries no authorization record. Attach the household's signed authorization record.",
    ),
    "AUTHORIZATION_SIGNATURE_INVALID": (
        "PERMISSION_DENIED",
        "授权记录的签名无效（{value}：{detail}）。请向发证机关重新获取授权记录。",
        "The authorization record's signature is invalid ({value}: {detail}). Obtain the record again from the issuing office.",
    ),
    "AUTHORIZATION_ISSUER_NOT_ALLOWED": (
        "PERMISSION_DENIED",
        "节点 {value} 无权签发该授权记录（{detail}）。授权须由成员户籍所在辖区的民政部门签发。",
        "Node {value} may not issue this authorization ({detail}). Records must come from civil affairs of the members' division.",
    ),
    "AUTHORIZATION_NOT_YET_VALID": (
        "PERMISSION_DENIED",
        "授权记录 {value} 尚未生效（生效时间 {detail}）。请在有效期内查询。",
        "Authorization record {value} is not valid yet (valid from {detail}). Query inside the validity window.",
    ),
    "AUTHORIZATION_EXPIRED": (
        "PERMISSION_DENIED",
        "授权记录 {value} 已过期（失效时间 {detail}）。请让家庭重新签署授权书。",
        "Authorization record {value} has expired (at {detail}). Have the household sign a new authorization.",
    ),
    "AUTHORIZATION_REVOKED": (
        "PERMISSION_DENIED",
        "授权记录 {value} 已被发证机关撤销（撤销列表版本 {detail}）。请联系发证机关。",
        "Authorization record {value} was revoked by its issuer (revocation list version {detail}). Contact the issuing office.",
    ),
    "AUTHORIZATION_USE_LIMIT_REACHED": (
        "PERMISSION_DENIED",
        "授权记录 {value} 的使用次数已用完（上限 {detail} 次）。请重新取得授权。",
        "Authorization record {value} has reached its use limit ({detail}). Obtain a new authorization.",
    ),
    "AUTHORIZATION_CALLER_NOT_GRANTEE": (
        "PERMISSION_DENIED",
        "调用方 {value} 不在授权记录的被授权单位中（{detail}）。",
        "Caller {value} is not a grantee of the authorization record ({detail}).",
    ),
    "AUTHORIZATION_MEMBER_NOT_COVERED": (
        "PERMISSION_DENIED",
        "成员 {value} 不在授权记录范围内。请只查询授权书列明的家庭成员。",
        "Member {value} is not covered by the authorization record. Query only members the letter names.",
    ),
    "AUTHORIZATION_CATEGORY_NOT_COVERED": (
        "PERMISSION_DENIED",
        "数据类别 {value} 不在授权记录范围内。请只查询家庭同意核对的项目。",
        "Category {value} is not covered by the authorization record. Query only the items the household allowed.",
    ),
    "AUTHORIZATION_PURPOSE_MISMATCH": (
        "PERMISSION_DENIED",
        "核对目的 {value} 与授权记录的目的 {detail} 不符。",
        "Purpose {value} does not match the authorization record's purpose {detail}.",
    ),
    "REVOCATION_LIST_INVALID": (
        "INVALID_ARGUMENT",
        "撤销列表无效：{detail}（发证机关 {value}）。",
        "Invalid revocation list: {detail} (issuer {value}).",
    ),
    "REVOCATION_LIST_STALE": (
        "FAILED_PRECONDITION",
        "撤销列表版本 {value} 不高于本节点已有的版本 {detail}，未采用。",
        "Revocation list version {value} is not newer than version {detail} held here; it was not applied.",
    ),
    "DEPARTMENT_UNAVAILABLE": (
        "UNAVAILABLE",
        "部门系统 {value} 暂不可用：{detail}。请稍后重试或联系该部门。",
        "Department system {value} is unavailable: {detail}. Retry later or contact the department.",
    ),
    "DEPARTMENT_TIMEOUT": (
        "DEADLINE_EXCEEDED",
        "部门系统 {value} 应答超时（{detail}）。请稍后重试。",
        "Department system {value} timed out ({detail}). Retry later.",
    ),
    "NODE_UNAVAILABLE": (
        "UNAVAILABLE",
        "节点 {value} 暂时无法连接（{detail}）。请稍后重试，或联系该节点的运维人员。",
        "Node {value} cannot be reached ({detail}). Retry later or contact the node's operator.",
    ),
    "NODE_REVOKED": (
        "PERMISSION_DENIED",
        "节点 {value} 已在联邦目录（版本 {detail}）中被吊销，其请求一律拒绝。",
        "Node {value} is revoked in the federation directory (version {detail}); its requests are refused.",
    ),
    "TLS_PEER_UNKNOWN": (
        "UNAUTHENTICATED",
        "对端 TLS 证书（指纹 {value}...）未绑定到联邦目录中的任何有效节点。请使用目录登记的证书。",
        "The peer's TLS certificate (fingerprint {value}...) is not bound to any valid node in the directory. Use the certificate the directory lists.",
    ),
    "TLS_PEER_MISMATCH": (
        "UNAUTHENTICATED",
        "对端 TLS 证书属于节点 {value}，而不是发送该请求的节点 {detail}。",
        "The peer's TLS certificate belongs to node {value}, not to {detail}, which sent the request.",
    ),
    "NODE_TIMEOUT": (
        "DEADLINE_EXCEEDED",
        "节点 {value} 未在时限内应答。请稍后重试，或放宽调用时限。",
        "Node {value} did not answer in time. Retry later or allow a longer deadline.",
    ),
    "DIRECTORY_UNSIGNED": (
        "FAILED_PRECONDITION",
        "联邦目录 {value} 未签名。请用信任锚密钥执行 hedui directory sign。",
        "Federation directory {value} is not signed. Sign it with the trust anchor key: hedui directory sign.",
    ),
    "DIRECTORY_SIGNATURE_INVALID": (
        "FAILED_PRECONDITION",
        "联邦目录 {value} 的签名无效（{detail}）。请从上级取得正确签名的目录。",
        "Signature of federation directory {value} is invalid ({detail}). Get a correctly signed directory from your parent.",
    ),
    "DIRECTORY_EXPIRED": (
        "FAILED_PRECONDITION",
        "联邦目录 {value} 已于 {detail} 过期。请取得新版目录。",
        "Federation directory {value} expired at {detail}. Get a new version.",
    ),
    "DIRECTORY_INVALID": (
        "FAILED_PRECONDITION",
        "联邦目录 {value} 内容无效：{detail}。",
        "Federation directory {value} is invalid: {detail}.",
    ),
    "CONFIG_INVALID": (
        "FAILED_PRECONDITION",
        "节点配置 {value} 无效：{detail}。",
        "Node configuration {value} is invalid: {detail}.",
    ),
    "CONFIG_MISSING": (
        "FAILED_PRECONDITION",
        "找不到文件 {value}：{detail}。请检查路径是否正确、文件是否已生成。",
        "File {value} not found: {detail}. Check the path and that the file was created.",
    ),
    "FILE_EXISTS": (
        "FAILED_PRECONDITION",
        "文件已存在，未覆盖：{value}。请用 --out 指定其他目录，或先移走旧文件。",
        "File exists, not overwritten: {value}. Use --out for another folder or move the old file first.",
    ),
    "INVALID_OPTION": (
        "INVALID_ARGUMENT",
        "命令行参数 {value} 无效：{detail}。",
        "Invalid command-line option {value}: {detail}.",
    ),
    "KEY_INVALID": (
        "FAILED_PRECONDITION",
        "密钥文件 {value} 无效：{detail}。",
        "Key file {value} is invalid: {detail}.",
    ),
    "QUESTION_INVALID": (
        "INVALID_ARGUMENT",
        "阈值问题 {value} 无效：{detail}。请按数据类别说明修改问题后重新发起请求。",
        "Threshold question {value} is invalid: {detail}. Fix the question as the data-category reference describes and send a new request.",
    ),
    "ANSWER_INVALID": (
        "DATA_LOSS",
        "来自 {value} 的应答未通过验证：{detail}。该来源的记录不可采信。",
        "The answer from {value} failed verification: {detail}. Its records cannot be trusted.",
    ),
    "INTERNAL": (
        "INTERNAL",
        "节点内部错误（请求 {value}）。请联系节点运维人员并提供请求编号。",
        "Internal node error (request {value}). Contact the node's operator with the request id.",
    ),
}
