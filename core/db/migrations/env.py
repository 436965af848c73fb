"""Alembic environment: the connection is handed in by core.db.schema, never read from a file."""
from alembic import context

from core.db import models_audit, models_objections, models_reports  # noqa: F401 - registers their tables
from core.db.models import Base
from core.db.schema import include_object

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
