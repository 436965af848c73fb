"""设置 (管理员): this PC's settings (counter name, idle lock, sounds) and the deployment's
(report validity, verification host, policy profile), each stored where it belongs — see the group titles and
desktop/services/settings.py. Nothing is written until 保存; a refused value keeps the dialog
open with the reason and every field as typed."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget)

from core.config import UNNAMED_COUNTER
from desktop.services.context import DeskContext
from desktop.services.settings import IDLE_LOCK_MINUTES, VERDICT_SOUND
from desktop.strings import settings as S
from desktop.views.form_dialog import BAD


class SettingsDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(S.TITLE)
        self.setModal(True)
        self.setMinimumWidth(720)
        self.loaded = None  # (DeploymentSettings, [ProfileInfo]) once read
        ui = ctx.settings
        self.counter = QLineEdit(self)
        self.counter.setObjectName("counterName")
        self.counter.setPlaceholderText(S.COUNTER_HINT)
        self.counter.setMaxLength(40)
        self.counter_note = QLabel(S.COUNTER_NOTE, self)
        self.idle = QSpinBox(self)
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(IDLE_LOCK_MINUTES.minimum, IDLE_LOCK_MINUTES.maximum)
        self.idle.setSuffix(S.IDLE_SUFFIX)
        self.idle.setValue(ui.get(IDLE_LOCK_MINUTES))
        self.sound = QCheckBox(S.SOUND_TEXT, self)
        self.sound.setObjectName("verdictSound")
        self.sound.setChecked(ui.get(VERDICT_SOUND))
        self.validity = QSpinBox(self)
        self.validity.setObjectName("validityDays")
        self.validity.setSuffix(S.VALIDITY_SUFFIX)
        self.validity_note = QLabel(S.VALIDITY_NOTE, self)
        self.verify_host = QLineEdit(self)
        self.verify_host.setObjectName("verifyHost")
        self.verify_host.setPlaceholderText(S.VERIFY_HOST_HINT)
        self.verify_host.setMaxLength(260)
        self.verify_host_note = QLabel(S.VERIFY_HOST_NOTE, self)
        self.profile = QComboBox(self)
        self.profile.setObjectName("profileBox")
        self.profile.currentIndexChanged.connect(self._explain_profile)
        self.profile_warning = QLabel(self)
        self.profile_warning.setStyleSheet(f"QLabel {{ color: {BAD}; }}")
        for label in (self.counter_note, self.validity_note, self.verify_host_note, self.profile_warning):
            label.setWordWrap(True)
        local = QGroupBox(S.LOCAL_GROUP, self)
        form = QFormLayout(local)
        form.addRow(self._label(S.COUNTER, self.counter), self.counter)
        form.addRow("", self.counter_note)
        form.addRow(self._label(S.IDLE, self.idle), self.idle)
        form.addRow(self._label(S.SOUND, self.sound), self.sound)
        shared = QGroupBox(S.SHARED_GROUP, self)
        form = QFormLayout(shared)
        form.addRow(self._label(S.VALIDITY, self.validity), self.validity)
        form.addRow("", self.validity_note)
        form.addRow(self._label(S.VERIFY_HOST, self.verify_host), self.verify_host)
        form.addRow("", self.verify_host_note)
        form.addRow(self._label(S.PROFILE, self.profile), self.profile)
        form.addRow("", self.profile_warning)
        self.file_note = QLabel(S.FILE_NOTE.format(path=ui.file_name), self)
        self.file_note.setWordWrap(True)
        self.file_note.setStyleSheet("QLabel { color: #5f6368; }")
        self.message = QLabel(S.LOADING, self)
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(S.SAVE, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(S.CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setEnabled(False)  # until the shared settings are read
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(local)
        layout.addWidget(shared)
        layout.addWidget(self.file_note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        ctx.tasks.query(self._read, lane=(self, "load"), on_done=self._show, on_message=self._failed)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _read(self):
        desk, actor = self.ctx.desk, self.ctx.actor
        return desk.deployment_settings(actor), desk.profiles(actor)

    # -- showing ------------------------------------------------------------------------------

    def _show(self, loaded) -> None:
        self.loaded = loaded
        deployment, profiles = loaded
        self.counter.setText("" if deployment.counter == UNNAMED_COUNTER else deployment.counter)
        if deployment.counter_from_environment:
            self.counter.setReadOnly(True)
            self.counter_note.setText(S.COUNTER_FROM_ENV)
        self.validity.setRange(deployment.min_validity_days, deployment.max_validity_days)
        self.validity.setValue(deployment.validity_days)
        self._show_host(deployment)
        self.profile.blockSignals(True)
        for info in profiles:
            text = S.PROFILE_ITEM.format(document=info.document, period=info.period_text)
            if info.extended_until:
                text += S.PROFILE_EXTENDED.format(until=info.extended_until)
            elif info.valid_to and info.valid_to < date.today():
                text += S.PROFILE_ENDED
            self.profile.addItem(text, info)
            self.profile.setItemData(self.profile.count() - 1, info.name, Qt.ItemDataRole.ToolTipRole)
            if info.in_use:
                self.profile.setCurrentIndex(self.profile.count() - 1)
        self.profile.blockSignals(False)
        self._explain_profile()
        self.message.setText("")
        self.save_button.setEnabled(True)

    def _show_host(self, deployment) -> None:
        """The deployment's host; a word in red when none is chosen yet or the recorded one is refused."""
        self.verify_host.setText(deployment.verify_host)
        if deployment.verify_host_problem:
            text, colour = deployment.verify_host_problem, BAD
        elif deployment.verify_host_source != "deployment":
            source = S.VERIFY_HOST_FROM_ENV if deployment.verify_host_source == "environment" else S.VERIFY_HOST_DEFAULT
            text, colour = S.VERIFY_HOST_UNSET.format(host=deployment.verify_host, source=source), BAD
        else:
            text, colour = S.VERIFY_HOST_NOTE, ""
        self.verify_host_note.setText(text)
        self.verify_host_note.setStyleSheet(f"QLabel {{ color: {colour}; }}" if colour else "")

    def _explain_profile(self) -> None:
        info = self.profile.currentData()
        ended = info is not None and not info.in_force and not info.in_use
        self.profile_warning.setText(S.PROFILE_WARNING.format(end=info.valid_to) if ended else "")
        self.profile_warning.setVisible(ended)

    def _failed(self, text: str) -> None:
        self.message.setStyleSheet(f"QLabel {{ color: {BAD}; }}")
        self.message.setText(text)
        self.save_button.setEnabled(self.loaded is not None)

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> None:
        """This PC's settings at once, then the shared ones as one write off the GUI thread."""
        ui = self.ctx.settings
        ui.set(IDLE_LOCK_MINUTES, self.idle.value())
        ui.set(VERDICT_SOUND, self.sound.isChecked())
        ui.sync()
        deployment, _ = self.loaded
        counter = None if self.counter.isReadOnly() else self.counter.text()
        if counter is not None and counter.strip() == deployment.counter:
            counter = None
        days = self.validity.value() if self.validity.value() != deployment.validity_days else None
        host = self.verify_host.text().strip()
        if host.upper() == deployment.verify_host and deployment.verify_host_source != "environment":
            host = None  # unchanged (this PC's own, from CREDITDESK_VERIFY_HOST, becomes everyone's)
        chosen = self.profile.currentData()
        profile_id = chosen.id if chosen is not None and not chosen.in_use else None
        self.message.setStyleSheet("")
        self.message.setText(S.SAVING)
        self.save_button.setEnabled(False)
        self.ctx.tasks.write(_save_shared, self.ctx.desk, self.ctx.actor, counter, days, host, profile_id,
                             changes="settings", lane=(self, "save"), on_done=self._saved,
                             on_message=self._failed)

    def _saved(self, _) -> None:
        self.message.setText(S.SAVED)
        self.accept()


def _save_shared(desk, actor, counter: str | None, days: int | None, host: str | None,
                 profile_id: str | None) -> None:
    """The changed shared settings, each its own use case (and audit event); off the GUI thread.
    Stops at the first refusal: what was saved before it stays saved and is shown on reopening."""
    if counter is not None:
        desk.rename_counter(actor, counter)
    if days is not None:
        desk.set_validity_days(actor, days)
    if host is not None:
        desk.set_verify_host(actor, host)
    if profile_id is not None:
        desk.use_profile(actor, profile_id)



def open_settings(ctx: DeskContext, parent: QWidget | None = None) -> bool:
    """The dialog for an administrator; True once saved (the caller applies the idle minutes)."""
    return bool(SettingsDialog(ctx, parent).exec())
