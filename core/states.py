"""Every status and verdict the program knows, in one place.

They are string enums, so a value compares equal to the text stored in the database and
written in the JSON that scripts read: ``ReportStatus.REVOKED == "已撤销"``.
"""
from __future__ import annotations

from enum import StrEnum


class ReportStatus(StrEnum):
    """An archived report."""

    ISSUED = "有效"
    REVOKED = "已撤销"


class VerdictStatus(StrEnum):
    """What verifying a scanned code concludes (the CLI's `status`)."""

    VALID = "valid"
    MALFORMED = "malformed"  # not a CreditDesk code, or misread: scan again
    FORGED = "forged"
    REVOKED = "revoked"
    EXPIRED = "expired"


class PenaltyStatus(StrEnum):
    IN_FORCE = "有效"
    REVOKED = "已撤销"


class RemovedStatus(StrEnum):
    """The status a penalty or arrears row takes when an upheld objection (已更正) takes it off
    reports: the row stays, with its RecordCorrection, but no report shows it again. Not a
    value an import file may carry (the importer's choices are PenaltyStatus / ArrearStatus)."""

    BY_OBJECTION = "异议删除"


class Procedure(StrEnum):
    ORDINARY = "普通程序"
    SIMPLIFIED = "简易程序"
    UNSTATED = "未注明"  # the file did not say: never guessed, counted under the profile's rule


class DecisionKind(StrEnum):
    PENALTY = "给予处罚"
    NO_PENALTY = "不予处罚"
    UNSTATED = "未注明"  # the file did not say: never guessed, counted under the profile's rule


class ArrearStatus(StrEnum):
    OUTSTANDING = "欠缴"
    PAID = "已补缴"


class KeyStatus(StrEnum):
    ACTIVE = "有效"
    RETIRED = "已停用"


class AuditAction(StrEnum):
    """What an event of the audit chain records."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    REFUSED = "refused"  # a signed-in person asked for what their role does not allow
    LOOKUP = "lookup"
    PREVIEW = "preview"
    ISSUE = "issue"
    REPRINT = "reprint"
    SAVE = "save"
    REVOKE = "revoke"
    VERIFY = "verify"
    IMPORT = "import"
    DEMO = "demo"
    FIRST_RUN = "first_run"
    USER_ADD = "user_add"
    USER_DISABLE = "user_disable"
    USER_RESET = "user_reset"
    USER_ENABLE = "user_enable"
    USER_ROLE = "user_role"  # details: role (the new one), from (the old one)
    PASSWORD_CHANGE = "password_change"  # a person changed their own password
    SETTINGS = "settings"  # a deployment or counter setting changed (details: key, from, to)
    KEY_CREATE = "key_create"
    KEY_RETIRE = "key_retire"
    AUDIT_VERIFY = "audit_verify"
    AUDIT_CHECKPOINT = "audit_checkpoint"
    BACKUP = "backup"
    PROFILE = "profile"  # the deployment chose its policy profile or recorded an extension
    OBJECTION = "objection"  # an objection registered or moved a step (details: from, to, reason)
    CORRECTION = "correction"  # a record changed or removed because an objection was upheld
    REPAIR = "repair"  # a credit-repair application registered or moved a step
    CALENDAR = "calendar"  # days of a holiday notice imported


class ObjectionStatus(StrEnum):
    """An objection's state (issue 10); the allowed steps are core.services.objections.rules."""

    REGISTERED = "已登记"
    INCOMPLETE = "待补正"
    NOT_ACCEPTED = "不予受理"
    ACCEPTED = "已受理"
    CHECKING = "平台核查"
    REFERRED = "协查中"  # sent to the providing unit
    CORRECTED = "已更正"
    UPHELD = "维持"  # the record stands
    UNCONFIRMED = "无法确认"
    ANSWERED = "已答复"
    WITHDRAWN = "已撤回"


class ObjectionGrounds(StrEnum):
    WRONG = "信息错误"
    MISSING = "信息遗漏"
    DUPLICATE = "信息重复"
    NOT_PUBLIC = "不应公示"
    OVERDUE = "超期公示"
    MISMATCH = "与原始决定不一致"
    OTHER = "其他"  # with text


class Severity(StrEnum):
    """How serious a 失信 act is (国家发展改革委令2023年第58号): sets its publicity period."""

    ORDINARY = "一般"
    SERIOUS = "严重"
    UNSTATED = "未注明"


class RepairStatus(StrEnum):
    APPLIED = "已申请"
    ACCEPTED = "已受理"
    CONSULTING = "征求处罚机关意见"
    GRANTED = "准予"
    REFUSED = "不予"
    SYNCED = "已同步"
