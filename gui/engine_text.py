"""The engine's words in the window's language: its errors, its fixed per-photo reasons, the usual reasons an
OS refuses a write, what a picked weights file holds and the names of an architecture report's stages.

The engine words both in English for the CLI and its logs. An error raised with StudioError.said carries
its template (marked for the catalogue in engine/) and its facts, so the window fills the translated
template; a Said (a phase's plain words, Automatic's choice) is filled the same way. The per-photo reasons
(engine.data.images, engine.data.image_cache) go through the table below. Anything else is shown as the
engine wrote it.
"""

from __future__ import annotations

import errno

from PySide6.QtCore import QCoreApplication

from engine.data.score_check import SCORE, ScoreCheck
from engine.errors import TEMPLATES, Said
from engine.model.config import DENSE_BLOCK, HEAD, STEM, TRANSITION
from engine.model.variants import get_variant
from engine.training.events import ENDINGS, PHASE_NAMES, Phase, PhaseProgress, PlanChanged


def said(sentence: Said) -> str:
    """An engine sentence (engine.errors.Said) in the window's language, the Said among its facts too."""
    facts = {key: said(value) if isinstance(value, Said) else value for key, value in sentence.facts.items()}
    return QCoreApplication.translate(TEMPLATES, sentence.template).format(**facts)


def sentences(items: tuple[Said, ...], separator: str = " ") -> str:
    """Several engine sentences (a phase's plain words, a compute plan's) in the window's language."""
    return separator.join(said(item) for item in items)


def photo_reason(reason: str) -> str:
    """Why a photo was skipped or could not be classified (a reason engine.data.images or the image cache
    marked), in the window's language; a reason with words from outside (an OS message) stays as it is."""
    return QCoreApplication.translate(TEMPLATES, reason)


def os_reason(number: int | None, said: str) -> str:
    """Why the OS refused a write (its errno), in plain words where the table knows it, else as the OS `said`."""
    no_permission = QCoreApplication.translate("EngineText", "no permission to write there")
    known = {
        errno.EROFS: QCoreApplication.translate("EngineText", "the disk or folder is read-only"),
        errno.EACCES: no_permission,
        errno.EPERM: no_permission,
        errno.ENOSPC: QCoreApplication.translate("EngineText", "the disk is full"),
        errno.EDQUOT: QCoreApplication.translate("EngineText", "the disk quota is used up"),
    }
    return known.get(number, said)


def error_text(error) -> str:
    """A StudioError's message in the window's language (a photo reason among its facts translated too)."""
    if not error.template:
        return str(error)
    facts = dict(error.facts)
    if "errno" in facts:
        facts["reason"] = os_reason(facts["errno"], str(facts["reason"]))
    elif "reason" in facts:
        facts["reason"] = photo_reason(str(facts["reason"]))
    return QCoreApplication.translate(TEMPLATES, error.template).format(**facts)


def weights_identity(identity) -> str:
    """What a picked weights file holds (an engine.model.pretrained.WeightsIdentity), e.g. "DenseNet-121 ImageNet
    weights, without classifier, for training"."""
    label = get_variant(identity.variant).label
    if identity.with_classifier:
        return QCoreApplication.translate("EngineText", "{0} ImageNet weights, with its 1,000-class classifier").format(
            label)
    return QCoreApplication.translate("EngineText", "{0} ImageNet weights, without classifier, for training").format(
        label)


def stage_kind(kind: str) -> str:
    """An architecture stage's kind (engine.model.architecture: stem, dense_block, transition, head), translated."""
    known = {
        STEM: QCoreApplication.translate("EngineText", "stem"),
        DENSE_BLOCK: QCoreApplication.translate("EngineText", "dense block"),
        TRANSITION: QCoreApplication.translate("EngineText", "transition"),
        HEAD: QCoreApplication.translate("EngineText", "head"),
    }
    return known.get(kind, kind)


def stage_name(name: str) -> str:
    """An architecture stage's name ("stem", "dense_block_2", "transition_1", "head") as the window shows it:
    its kind translated, then its number."""
    kind, _, number = name.rpartition("_")
    return f"{stage_kind(kind)} {number}" if number.isdigit() else stage_kind(name)


def score_check(check: ScoreCheck) -> str:
    """An evaluation's 95 % interval and chance level ("33% ± 19% on 24 photos; guessing gets 33%"), with the
    advice when the score cannot be told from guessing or rests on too few photos (engine.data.score_check)."""
    facts = check.facts()
    text = QCoreApplication.translate("EngineText", SCORE).format(**facts)
    advice = check.advice_template()
    return text if advice is None else text + "\n" + QCoreApplication.translate("EngineText", advice).format(**facts)


def phase_name(phase: Phase) -> str:
    """A training phase as the user reads it (engine.training.events.PHASE_NAMES), in the window's language."""
    return QCoreApplication.translate(TEMPLATES, PHASE_NAMES[phase])


def amount(progress: PhaseProgress) -> str:
    """How far a phase is ("120 of 500", "12.3 of 29.0 MB"), in the window's language."""
    template, facts = progress.amount_said()
    return QCoreApplication.translate(TEMPLATES, template).format(**facts)


def ending(key: str, facts: dict) -> str:
    """Why a training ended (engine.training.events.ENDINGS), e.g. "stopped after epoch 14 of 61 planned: validation
    loss did not improve for 12 epochs"."""
    return QCoreApplication.translate("EngineText", ENDINGS[key]).format(**facts)


def plan_changed(event: PlanChanged) -> str:
    """E.g. "plan: 61 epochs, was 68: epochs take 1.9 s, not 1.6 s"."""
    return QCoreApplication.translate("EngineText", PlanChanged.TEMPLATE).format(**event.facts())
