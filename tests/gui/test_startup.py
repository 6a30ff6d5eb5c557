"""The window, all three tabs built, is painted before TensorFlow is imported: checked in a fresh process at the
first paint (in the test process, TensorFlow is already loaded by then)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from PySide6.QtCore import QSettings
from gui.app import start_app
settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
app, window = start_app(["probe"], settings)
seen = {}
def painted():
    seen["tensorflow"] = "tensorflow" in sys.modules
    seen["keras"] = "keras" in sys.modules
    seen["tabs"] = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    app.quit()
window.first_painted.connect(painted)
app.exec()
print("tensorflow at first paint:", seen["tensorflow"], "keras:", seen["keras"], "tabs:", *seen["tabs"])
"""


def test_window_paints_before_tensorflow_is_imported(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "s.ini")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "tensorflow at first paint: False keras: False tabs: Classify Train Architecture" in done.stdout
