"""The names `creditdesk-admin --help` offers for objections are the register's own."""
from core.services.objections.corrections import field_labels
from core.services.objections.names import CORRECTABLE_LABELS


def test_the_help_lists_exactly_the_fields_a_correction_may_change():
    assert CORRECTABLE_LABELS == field_labels()
