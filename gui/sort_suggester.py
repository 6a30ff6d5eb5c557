"""The Sort tab's background work: each photo read into a feature vector (engine.inference.photo_features,
on the TensorFlow thread with the loaded model, else in the pool), and the suggestions fitted again after
every answer (engine.inference.sort_suggestions), one fit at a time, never on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from engine.inference.photo_features import feature_chunks
from engine.inference.sort_suggestions import suggest
from gui.sort_session import SortSession
from gui.workers import start_worker


def features_of(paths: list[str], classifier, stop):
    """Worker generator: engine.inference.photo_features' chunks, each as it is ready."""
    yield from feature_chunks(paths, classifier, stop)


class SortSuggester(QObject):
    """`read(unreadable)` after each chunk of vectors (whether it found files that cannot be read), `done`
    when all are read, `suggested` when new suggestions are in the session, `failed(error)`."""

    read = Signal(bool)
    done = Signal()
    suggested = Signal()
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.session: SortSession | None = None
        self._request = 0
        self._reader = None
        self._fitting = False
        self._fit_again = False

    @property
    def reading(self) -> bool:
        return self._reader is not None

    def read_features(self, session: SortSession, classifier) -> None:
        """Read every photo of `session` anew, with `classifier`'s pooled features (None: the offline ones),
        replacing a reading still under way."""
        self.session = session
        self._request += 1
        request = self._request
        if self._reader is not None:
            self._reader.request_stop()
        session.vectors.clear()  # one kind of vector at a time: the model's and the offline ones differ
        session.skipped.clear()
        paths = list(session.photos)
        self._reader = start_worker(features_of, paths, classifier, tensorflow=classifier is not None,
                                    on_yielded=lambda chunk: self._take(request, session, paths, chunk),
                                    on_returned=lambda _result: self._read_all(request),
                                    on_errored=lambda error: self._read_failed(request, error))

    def _take(self, request: int, session: SortSession, asked: list[str], chunk) -> None:
        if request == self._request:
            self.read.emit(bool(session.take_features(chunk, asked)))

    def _read_all(self, request: int) -> None:
        if request == self._request:
            self._reader = None
            self.done.emit()
            self.refit()

    def _read_failed(self, request: int, error: BaseException) -> None:
        if request == self._request:
            self._reader = None
            self.failed.emit(error)

    def refit(self) -> None:
        """Fit the suggestions again (an answer given during a fit fits once more after it)."""
        session = self.session
        if session is None:
            return
        if self._fitting:
            self._fit_again = True
            return
        rows, features, labels = session.fit_input()
        self._fitting, self._fit_again = True, False
        start_worker(suggest, features, labels, len(session.classes),
                     on_returned=lambda suggestions: self._suggested(session, rows, suggestions),
                     on_errored=self.failed.emit, on_finished=self._fitted)

    def _suggested(self, session: SortSession, rows: list[int], suggestions) -> None:
        if session is self.session:
            session.take_suggestions(rows, suggestions)
            self.suggested.emit()

    def _fitted(self) -> None:
        self._fitting = False
        if self._fit_again:
            self.refit()
