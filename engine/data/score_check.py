"""How far a held-out accuracy can be trusted: its 95 % interval, what guessing would get, and a verdict.

A score on 24 photos says little: 33 % there could be anything from 16 % to 55 %. Users of small folders
must see that, and see it when a model is no better than guessing, instead of a bare percentage. The
interval is Wilson's score interval (good at small counts and near 0 or 1, unlike the normal
approximation); guessing is always answering the most common class of the scored photos.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from engine.errors import QT_TRANSLATE_NOOP

Z_95 = 1.959964  # the normal quantile of a two-sided 95 % interval
MIN_PHOTOS_TO_JUDGE = 30  # fewer held-out photos than this cannot tell a model from a lucky guess

CLEAR = "clear"  # the score is above guessing by more than its uncertainty
NEAR_CHANCE = "near-chance"  # guessing is inside the score's 95 % interval
TOO_FEW = "too-few"  # too few held-out photos to judge at all

SCORE = QT_TRANSLATE_NOOP("EngineText", "{accuracy:.0%} ± {margin:.0%} on {photos} photos; guessing gets {chance:.0%}")
NEAR_CHANCE_ADVICE = QT_TRANSLATE_NOOP(
    "EngineText", "This is within reach of guessing. What helps: more photos per class, a longer time budget, "
                  "or ImageNet weights (needs the internet once).")
TOO_FEW_ADVICE = QT_TRANSLATE_NOOP(
    "EngineText", "Too few photos were held out to judge this score. What helps: more photos per class (at least "
                  "{needed} held out), or a test/ folder of photos the model does not train on.")


def wilson_interval(correct: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion `correct / total`; (0, 1) when nothing was scored."""
    if total <= 0:
        return 0.0, 1.0
    share = correct / total
    denominator = 1 + z * z / total
    centre = (share + z * z / (2 * total)) / denominator
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ScoreCheck:
    """A held-out accuracy with its 95 % interval, the chance level and the verdict (CLEAR, NEAR_CHANCE or
    TOO_FEW)."""

    accuracy: float
    photos: int
    interval: tuple[float, float]
    chance: float

    @classmethod
    def of(cls, correct: int, class_counts: Sequence[int]) -> ScoreCheck:
        """The check of `correct` right answers on photos that number `class_counts` per true class."""
        photos = int(sum(class_counts))
        chance = max(class_counts) / photos if photos else 0.0
        return cls(correct / photos if photos else 0.0, photos, wilson_interval(correct, photos), chance)

    @property
    def margin(self) -> float:
        """Half the interval's width: the ± the user reads."""
        return (self.interval[1] - self.interval[0]) / 2

    @property
    def verdict(self) -> str:
        if self.photos < MIN_PHOTOS_TO_JUDGE:
            return TOO_FEW
        return NEAR_CHANCE if self.interval[0] <= self.chance else CLEAR

    def facts(self) -> dict:
        """The numbers SCORE and the advice templates are filled with."""
        return {"accuracy": self.accuracy, "margin": self.margin, "photos": self.photos, "chance": self.chance,
                "needed": MIN_PHOTOS_TO_JUDGE}

    def advice_template(self) -> str | None:
        """What to tell the user beside the score: None when the score is clear."""
        return {NEAR_CHANCE: NEAR_CHANCE_ADVICE, TOO_FEW: TOO_FEW_ADVICE}.get(self.verdict)

    def text(self) -> str:
        """E.g. "33% ± 19% on 24 photos; guessing gets 33%", and the advice when the score is not clear."""
        facts = self.facts()
        advice = self.advice_template()
        return SCORE.format(**facts) + ("" if advice is None else " " + advice.format(**facts))
