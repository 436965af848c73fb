"""What every page receives at construction, from the composition root (desktop/app.py)."""
from __future__ import annotations

from dataclasses import dataclass

from core.usecases import CounterDesk
from core.usecases import UserSession
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner


@dataclass
class DeskContext:
    desk: CounterDesk  # the core services; pages call them only through `tasks`
    tasks: TaskRunner
    actor: UserSession  # the signed-in session of the person at this counter
    settings: UiSettings
    events: AppEvents
