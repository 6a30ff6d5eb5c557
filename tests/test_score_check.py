"""How far a held-out score can be trusted: Wilson's interval against values worked out by hand, the chance
level, and the verdicts a user sees."""

import pytest

from engine.data.score_check import CLEAR, NEAR_CHANCE, TOO_FEW, ScoreCheck, wilson_interval


def test_wilson_interval_at_the_edges_and_in_the_middle():
    # all wrong or all right: the open end is z^2 / (n + z^2), 3.8415 / 13.8415
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.27753), abs=1e-5)
    assert wilson_interval(10, 10) == pytest.approx((0.72247, 1.0), abs=1e-5)
    # 50 of 100: centred on a half, half-width z * sqrt(0.25 / 100 + z^2 / 40,000) / (1 + z^2 / 100)
    assert wilson_interval(50, 100) == pytest.approx((0.40383, 0.59617), abs=1e-5)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_verdicts_tell_a_model_from_a_guess():
    # 24 photos of 3 classes, 8 right: exactly what guessing gets, and far too few photos to say more
    few = ScoreCheck.of(8, [8, 8, 8])
    assert (few.verdict, few.chance, few.photos) == (TOO_FEW, pytest.approx(1 / 3), 24)
    assert few.interval == pytest.approx((0.1797, 0.5329), abs=1e-4)
    assert few.text().startswith("33% ± 18% on 24 photos; guessing gets 33% Too few photos were held out")
    # 120 photos, 48 right: 40 %, but guessing's 33 % is inside the interval
    near = ScoreCheck.of(48, [40, 40, 40])
    assert near.verdict == NEAR_CHANCE and near.interval[0] < 1 / 3 < near.interval[1]
    assert "within reach of guessing" in near.text()
    # the same 40 % with 5 classes, where guessing gets 20 %: clearly learnt something, no advice
    clear = ScoreCheck.of(48, [24] * 5)
    assert clear.verdict == CLEAR and clear.text() == "40% ± 9% on 120 photos; guessing gets 20%"


def test_chance_is_the_most_common_class_share():
    # 90 of one class and 10 of another: always answering the first gets 90 %, so 88 % is no better
    unbalanced = ScoreCheck.of(88, [90, 10])
    assert unbalanced.chance == pytest.approx(0.9) and unbalanced.verdict == NEAR_CHANCE
