"""Exceptions of the audit log, each with a stable reason code and messages in Chinese and English."""

from __future__ import annotations


def _short(digest: bytes | None) -> str:
    return digest.hex() if digest else "（无）"


class AuditError(Exception):
    """Base class of every audit log error; ``str()`` is the Chinese message."""

    reason = "AUDIT_ERROR"

    def __init__(self, zh: str, en: str) -> None:
        self._zh = zh
        self._en = en
        super().__init__(zh)

    def message(self, lang: str = "zh") -> str:
        """Return the message in ``lang`` ("zh" or "en")."""
        return self._en if lang == "en" else self._zh


class AuditEntryError(AuditError, ValueError):
    """An entry rejected before anything was written, because one of its fields is invalid."""

    reason = "AUDIT_ENTRY_INVALID"

    def __init__(self, field: str, problem_zh: str, problem_en: str) -> None:
        self.field = field
        super().__init__(
            f"审计记录字段 {field} 无效：{problem_zh}。未写入任何内容，请修正后重试。",
            f"Invalid audit entry field {field}: {problem_en}. Nothing was written; fix the field and retry.",
        )


class AuditClosedError(AuditError, RuntimeError):
    """An operation on a log that was closed or whose writer stopped."""

    reason = "AUDIT_CLOSED"

    def __init__(self) -> None:
        super().__init__("审计日志已关闭，无法写入。", "The audit log is closed; nothing can be written.")


class AuditConfigError(AuditError, ValueError):
    """A log opened with settings that do not match the file or are unusable."""

    reason = "AUDIT_CONFIG_INVALID"


class AuditChainError(AuditError):
    """A verification failure at one seq, with the digest expected and the one found."""

    reason = "AUDIT_CHAIN_BROKEN"
    _zh_template = "审计链第 {seq} 条记录校验失败：期望摘要 {expected} 实际 {found}"
    _en_template = "Audit chain entry {seq} failed verification: expected digest {expected}, found {found}"

    def __init__(self, seq: int, expected: bytes | None = None, found: bytes | None = None) -> None:
        self.seq = seq
        self.expected = expected
        self.found = found
        values = {"seq": seq, "expected": _short(expected), "found": _short(found)}
        super().__init__(self._zh_template.format(**values), self._en_template.format(**values))


class AuditFormatError(AuditChainError):
    """A row whose shape is wrong (a hash of the wrong length, a missing table, an unreadable field)."""

    reason = "AUDIT_FORMAT_INVALID"

    def __init__(self, seq: int, problem_zh: str, problem_en: str) -> None:
        self.seq = seq
        self.expected = None
        self.found = None
        AuditError.__init__(
            self,
            f"审计日志格式无效（第 {seq} 条记录）：{problem_zh}",
            f"Invalid audit log format at entry {seq}: {problem_en}",
        )


class EntryModifiedError(AuditChainError):
    """An entry whose content no longer matches the leaf hash the chain committed to."""

    reason = "AUDIT_ENTRY_MODIFIED"
    _zh_template = "审计链第 {seq} 条记录被修改：期望摘要 {expected} 实际 {found}"
    _en_template = "Audit chain entry {seq} was modified: expected digest {expected}, found {found}"


class EntryMissingError(AuditChainError):
    """An entry removed from the chain, seen as a gap in seq or a predecessor that is not in the log."""

    reason = "AUDIT_ENTRY_MISSING"
    _zh_template = "审计链第 {seq} 条记录缺失（已被删除）：期望摘要 {expected} 实际 {found}"
    _en_template = "Audit chain entry {seq} is missing (deleted): expected digest {expected}, found {found}"


class EntryInsertedError(AuditChainError):
    """An entry that was never part of the chain, placed at this seq."""

    reason = "AUDIT_ENTRY_INSERTED"
    _zh_template = "审计链第 {seq} 条记录是插入的：期望摘要 {expected} 实际 {found}"
    _en_template = "Audit chain entry {seq} was inserted: expected digest {expected}, found {found}"


class EntryReorderedError(AuditChainError):
    """An entry of this chain stored at the wrong seq."""

    reason = "AUDIT_ENTRY_REORDERED"
    _zh_template = "审计链第 {seq} 条记录顺序被调换：期望摘要 {expected} 实际 {found}"
    _en_template = "Audit chain entry {seq} is out of order: expected digest {expected}, found {found}"


class ChainLinkError(AuditChainError):
    """An entry whose chain hash does not follow from its predecessor, for a cause that cannot be told apart."""

    reason = "AUDIT_CHAIN_LINK_INVALID"
    _zh_template = "审计链第 {seq} 条记录与前一条记录的链接不一致：期望摘要 {expected} 实际 {found}"
    _en_template = "Audit chain entry {seq} does not link to its predecessor: expected digest {expected}, found {found}"


class TruncatedLogError(AuditChainError):
    """Entries covered by a signed checkpoint that are no longer in the log; seq is the first missing one."""

    reason = "AUDIT_LOG_TRUNCATED"
    _zh_template = "审计链从第 {seq} 条记录起被截断：签名检查点覆盖的链头 {expected}，日志现有链头 {found}"
    _en_template = "Audit chain truncated from entry {seq}: a signed checkpoint covers head {expected}, the log ends at head {found}"


class CheckpointMismatchError(AuditChainError):
    """A signed checkpoint whose chain hash differs from the chain recomputed up to its seq."""

    reason = "AUDIT_CHECKPOINT_MISMATCH"
    _zh_template = "审计链在第 {seq} 条记录处与签名检查点不一致（链被改写）：期望摘要 {expected} 实际 {found}"
    _en_template = "Audit chain at entry {seq} differs from its signed checkpoint (chain rewritten): expected digest {expected}, found {found}"


class CheckpointSignatureError(AuditChainError):
    """A checkpoint whose signature did not verify; expected is the signed chain hash."""

    reason = "AUDIT_CHECKPOINT_SIGNATURE_INVALID"
    _zh_template = "第 {seq} 条记录处的检查点签名无效：检查点链头 {expected}"
    _en_template = "The checkpoint signature at entry {seq} is invalid: checkpoint head {expected}"
