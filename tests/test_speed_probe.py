"""The machine's speed, measured once by training a small DenseNet-BC for a few real steps, then cached per
machine: a damaged cache is measured again, never trusted."""

from engine.model.compute import detect_device
from engine.training.auto_settings import reference_speed
from engine.training.speed_probe import CACHE_NAME, machine_key, probe_speed


def test_the_speed_factor_is_measured_once_and_cached(tmp_path):
    device = detect_device()
    reference = reference_speed(device)
    first = probe_speed(device, reference, tmp_path)
    assert first.measured and 0.01 < first.factor < 100 and first.seconds > 0
    again = probe_speed(device, reference, tmp_path)
    assert not again.measured and again.factor == first.factor and again.seconds == 0
    assert machine_key(device) in (tmp_path / CACHE_NAME).read_text(encoding="utf-8")
    (tmp_path / CACHE_NAME).write_text("{not json", encoding="utf-8")
    assert probe_speed(device, reference, tmp_path).measured
