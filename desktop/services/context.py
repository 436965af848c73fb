"""What every page receives at construction, from the composition root (desktop/app.py)."""
from __future__ import annotations

from dataclasses import dataclass

from core.services.desk import CounterDesk
from core.services.people.users import Actor
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner


@dataclass
class DeskContext:
    desk: CounterDesk  # the core services; pages call them only through `tasks`
    tasks: TaskRunner
    actor: Actor  # the person logged in at this counter
    settings: UiSettings
    events: AppEvents
