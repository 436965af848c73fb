"""Alembic environment: the connection is handed in by core.db.schema, never read from a file."""
from alembic import context

from core.db import models_reports  # noqa: F401 - registers the report tables
from core.db.models import Base

# Objects the migrations create by hand (full-text search) are not in the models.
MANUAL = ("enterprise_names_fts", "ix_enterprise_names_name", "ix_enterprise_names_initials",
          "ix_enterprise_names_grams")


def include_object(obj, name, type_, reflected, compare_to):
    return not (reflected and name and name.startswith(MANUAL))


config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
