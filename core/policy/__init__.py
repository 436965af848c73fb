"""Policy profiles: which domains, periods and exclusions a credit report follows."""

from core.policy.loader import (
    DEFAULT_PROFILE,
    available_profiles,
    load_profile,
    load_profile_file,
    policy_dir,
)
from core.policy.model import (
    OTHER_INFO_KINDS,
    RECORD_KINDS,
    WHERE_DATA_EXISTS,
    Domain,
    Extension,
    OtherInfo,
    PolicyError,
    Profile,
    normalize_text,
)
from core.policy.organs import OrganScope, organ_in_scope

__all__ = [
    "DEFAULT_PROFILE",
    "OTHER_INFO_KINDS",
    "RECORD_KINDS",
    "WHERE_DATA_EXISTS",
    "Domain",
    "Extension",
    "OrganScope",
    "OtherInfo",
    "PolicyError",
    "Profile",
    "available_profiles",
    "load_profile",
    "load_profile_file",
    "normalize_text",
    "organ_in_scope",
    "policy_dir",
]
