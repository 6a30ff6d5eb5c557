"""The paper's Figure 1, painted: a dense block's input x₀ and layers H₁…Hₙ in a row, an arc from every earlier
feature map to every later layer (each layer receives the concatenation of all before it), under each node a
bar of the maps concatenated so far, growing by k, then the transition that compresses them and halves their
size. Hovering a layer lights the maps that feed it and says its numbers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from engine.model.cost import BlockCost, TransitionCost

MARGIN = 10
MIN_STEP, MAX_STEP = 36, 84  # pixels from one node to the next: the narrowest still legible, the widest useful
NODE_HEIGHT = 26
TEXT_HEIGHT = 16
MAX_HEIGHT = 280  # pixels drawn at most, centred in a taller view
SLAB = 48  # pixels: the width of a transition's input slab (its height and width), alone
MANY = 12  # more shown layers than this: thinner, lighter arcs and no arrowheads
INK = QColor("#444444")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
MORE, TRANSITION = -1, -2  # node indices of the "more layers" box and the transition


def subscript(number: int) -> str:
    return str(number).translate(SUBSCRIPT)


def node_colour(index: int, alpha: int = 255) -> QColor:
    """x₀ grey-blue, each layer its own hue, so an arc's colour says whose maps it carries."""
    colour = QColor("#8fa8c8") if index == 0 else QColor.fromHsv((index * 47 + 20) % 360, 150, 225)
    colour.setAlpha(alpha)
    return colour


class DenseDrawing(QWidget):
    """Draws a BlockCost with its first `shown` layers, or a lone TransitionCost; `hovered` is the node under the
    mouse (0 is x₀), `paths` every concatenation path drawn as (from node, to layer)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.block: BlockCost | None = None
        self.transition: TransitionCost | None = None
        self.shown = 0
        self.hovered: int | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(124)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), 210)

    def show_block(self, block: BlockCost, shown: int) -> None:
        self.block, self.transition, self.shown = block, block.transition, min(shown, len(block.layers))
        self._changed()

    def show_transition(self, transition: TransitionCost) -> None:
        self.block, self.transition, self.shown = None, transition, 0
        self._changed()

    def clear(self) -> None:
        self.block = self.transition = None
        self._changed()

    def _changed(self) -> None:
        self.hovered = None
        self.setMinimumWidth(self._width_for(MIN_STEP))
        self.update()

    @property
    def paths(self) -> list[tuple[int, int]]:
        return [(source, layer) for layer in range(1, self.shown + 1) for source in range(layer)]

    def feeding(self) -> list[int]:
        """The nodes whose maps the hovered layer receives: x₀ and every layer before it."""
        return list(range(self.hovered)) if self.hovered and self.hovered > 0 else []

    # -- geometry -------------------------------------------------------------------------------------
    def _more(self) -> int:
        return len(self.block.layers) - self.shown if self.block is not None else 0

    def _box_width(self, lines: list[str]) -> float:
        return max(self.fontMetrics().horizontalAdvance(line) for line in lines) + 16

    def _transition_lines(self) -> list[str]:
        return [self.tr("Transition"), f"θ = {self.transition.compression:g}"]

    def _width_for(self, step: float) -> int:
        extra = 0.0
        if self._more():
            extra += step + self._box_width([self._more_text()])
        if self.block is not None and self.transition is not None:
            extra += step + self._box_width(self._transition_lines()) + 30  # its sizes' line is wider than it
        if self.block is None:
            return int(2 * MARGIN + 3 * SLAB + 2 * self._lone_gap()) if self.transition is not None else 0
        return int(2 * MARGIN + (self.shown + 1) * step + extra)

    def _step(self) -> float:
        fixed = self._width_for(0) - 2 * MARGIN
        nodes = self.shown + 1 + (1 if self._more() else 0) + (1 if self.transition is not None else 0)
        return max(MIN_STEP, min(MAX_STEP, (self.width() - 2 * MARGIN - fixed) / nodes))

    def _left(self) -> float:
        """Centred when the nodes at their widest spacing leave room on both sides."""
        return MARGIN + max(0.0, (self.width() - self._width_for(self._step())) / 2)

    def _used_height(self) -> float:
        """A tall view draws no taller than MAX_HEIGHT: longer arcs and bars would say nothing more."""
        return min(self.height(), MAX_HEIGHT)

    def _top(self) -> float:
        return (self.height() - self._used_height()) / 2

    def _row_top(self) -> float:
        """Arcs above the row of nodes, bars and numbers under it."""
        return self._top() + max(40.0, (self._used_height() - 2 * MARGIN) * 0.4)

    def node_rect(self, index: int) -> QRectF:
        """Node 0 is x₀, 1…shown the layers, MORE the dashed box of layers not yet drawn, TRANSITION the transition."""
        step = self._step()
        width = min(step - 10, 44)
        if index >= 0:
            return QRectF(self._left() + index * step + (step - width) / 2, self._row_top(), width, NODE_HEIGHT)
        left = self._left() + (self.shown + 1) * step + 4
        if index == TRANSITION and self._more():
            left += self._box_width([self._more_text()]) + step / 2
        lines = [self._more_text()] if index == MORE else self._transition_lines()
        return QRectF(left, self._row_top() - (NODE_HEIGHT if index == TRANSITION else 0),
                      self._box_width(lines), NODE_HEIGHT * (2 if index == TRANSITION else 1))

    def _bar_room(self) -> tuple[float, float]:
        """Top and height of the bars of concatenated maps."""
        top = self._row_top() + NODE_HEIGHT + 6
        return top, max(12.0, self._top() + self._used_height() - MARGIN - TEXT_HEIGHT * 2 - top)

    def node_at(self, point: QPointF) -> int | None:
        if self.block is None:
            return None
        bar_top, bar_height = self._bar_room()
        candidates = list(range(self.shown + 1)) + ([MORE] if self._more() else [])
        candidates += [TRANSITION] if self.transition is not None else []
        for index in candidates:
            rect = self.node_rect(index)
            if rect.adjusted(-2, 0, 2, bar_top + bar_height - rect.bottom()).contains(point):
                return index
        return None

    # -- text -----------------------------------------------------------------------------------------
    def _more_text(self) -> str:
        return self.tr("+{0} more").format(self._more())

    def tooltip(self, index: int) -> str:
        """What a node does, with its numbers: maps in and out, parameters, multiply-adds."""
        block = self.block
        if index == 0:
            return self.tr("x₀, the block's input: {0} feature maps of {1}×{2}. Every layer of the block receives "
                           "them.").format(block.maps_in, *block.size)
        if index == MORE:
            return self.tr("{0} more layers, each adding k = {1} maps: use Layers shown or All to draw "
                           "them.").format(self._more(), block.growth_rate)
        if index == TRANSITION:
            return self.transition_text(self.transition)
        layer = block.layers[index - 1]
        return self.tr("H{0}: BN-ReLU-1×1 convolution to {1} maps, then BN-ReLU-3×3 convolution to k = {2}.\n"
                       "Receives {3} maps (x₀ and the {4} layers before it) and adds {2}: {5} maps leave it.\n"
                       "{6:,} parameters, {7:,} multiply-adds.").format(
            subscript(index), 4 * block.growth_rate, block.growth_rate, layer.maps_in, index - 1, layer.maps_out,
            layer.params, layer.macs)

    def transition_text(self, transition: TransitionCost) -> str:
        return self.tr("Transition: BN-ReLU, then a 1×1 convolution keeps ⌊θ·C⌋ = {0} of the C = {1} maps, and "
                       "2×2 average pooling halves their size ({2}×{3} → {4}×{5}).\n{6:,} parameters, {7:,} "
                       "multiply-adds.").format(transition.maps_out, transition.maps_in, *transition.size_in,
                                                *transition.size_out, transition.params, transition.macs)

    # -- events ---------------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.node_at(QPointF(event.pos()))
            if index is not None:
                QToolTip.showText(event.globalPos(), self.tooltip(index), self, self.node_rect(index).toRect())
            elif self.block is None and self.transition is not None:
                QToolTip.showText(event.globalPos(), self.transition_text(self.transition), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event) -> None:
        index = self.node_at(event.position())
        if index != self.hovered:
            self.hovered = index
            self.update()

    def leaveEvent(self, event) -> None:
        self.hovered = None
        self.update()

    # -- painting -------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        if self.block is None and self.transition is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.block is None:
            self._paint_lone_transition(painter)
        else:
            self._paint_arcs(painter)
            self._paint_nodes(painter)
        painter.end()

    def _lit(self, index: int) -> bool:
        """Drawn at full strength: everything when nothing is hovered, else the hovered layer and its inputs."""
        return self.hovered is None or self.hovered <= 0 or index <= self.hovered

    def _paint_arcs(self, painter: QPainter) -> None:
        """Each source's arcs as one path (thousands of arcs in a 64-layer block), the hovered layer's on top."""
        many = self.shown > MANY
        row_top = self._row_top()
        height = row_top - self._top() - MARGIN
        rects = [self.node_rect(index) for index in range(self.shown + 1)]
        fading = self.hovered is not None and self.hovered >= 0  # a layer or x₀ hovered, not the transition
        plain = {source: QPainterPath() for source in range(self.shown)}
        lit = {source: QPainterPath() for source in range(self.shown)}
        tips: dict[bool, dict[int, list[QPointF]]] = {True: {}, False: {}}  # arrowheads, as points of one polygon
        for source, layer in self.paths:
            start, end = rects[source], rects[layer]
            fan_out = (layer - source - 1) / max(1, self.shown - source - 1)
            fan_in = source / max(1, layer - 1)
            x1 = start.left() + start.width() * (0.2 + 0.6 * fan_out)
            x2 = end.left() + end.width() * (0.15 + 0.7 * fan_in)
            rise = height * (0.25 + 0.75 * (layer - source) / self.shown)
            into_hovered = self.hovered is not None and (layer == self.hovered or source == self.hovered == 0)
            path = lit[source] if into_hovered else plain[source]
            path.moveTo(x1, row_top)
            path.cubicTo(QPointF(x1, row_top - rise), QPointF(x2, row_top - rise), QPointF(x2, row_top))
            if not many or into_hovered:
                tip = QPointF(x2, row_top)
                tips[into_hovered].setdefault(source, []).extend(
                    [tip, tip + QPointF(-3, -6), tip + QPointF(3, -6), tip])
        alpha = 40 if fading else (110 if many else 200)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for source, path in plain.items():
            painter.setPen(QPen(node_colour(source, alpha), 0.8 if many else 1.5))
            painter.drawPath(path)
        for source, path in lit.items():
            painter.setPen(QPen(node_colour(source), 2.4))
            painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        for into_hovered, polygons in tips.items():
            for source, points in polygons.items():
                painter.setBrush(node_colour(source, 255 if into_hovered else alpha))
                painter.drawPolygon(QPolygonF(points))

    def _paint_nodes(self, painter: QPainter) -> None:
        block = self.block
        final = block.layers[-1].maps_out if block.layers else block.maps_in
        bar_top, bar_height = self._bar_room()
        scale = bar_height / final
        font = painter.font()
        font.setPointSizeF(8)
        painter.setFont(font)
        for index in range(self.shown + 1):
            rect = self.node_rect(index)
            alpha = 255 if self._lit(index) else 70
            painter.setPen(QPen(INK if index != self.hovered else QColor("#000000"), 2 if index == self.hovered else 1))
            painter.setBrush(node_colour(index, alpha))
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(INK)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"x{subscript(0)}" if index == 0
                             else f"H{subscript(index)}")
            # the bar: x₀'s maps, then k for each layer up to this one, stacked from the bottom
            bottom = bar_top + bar_height
            for part in range(index + 1):
                maps = block.maps_in if part == 0 else block.growth_rate
                height = maps * scale
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(node_colour(part, alpha))
                painter.drawRect(QRectF(rect.left(), bottom - height, rect.width(), height))
                bottom -= height
            maps = block.maps_in + index * block.growth_rate
            painter.setPen(INK)
            text = QRectF(rect.center().x() - 40, bar_top + bar_height + 2, 80, TEXT_HEIGHT)
            painter.drawText(text, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, str(maps))
            if index:
                painter.drawText(text.translated(0, TEXT_HEIGHT), Qt.AlignmentFlag.AlignHCenter,
                                 f"+{block.growth_rate}")
        last = self.node_rect(self.shown)
        if self._more():
            more = self.node_rect(MORE)
            self._arrow(painter, QPointF(last.right() + 2, last.center().y()),
                        QPointF(more.left() - 2, last.center().y()))
            painter.setPen(QPen(INK, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(more, 4, 4)
            painter.drawText(more, Qt.AlignmentFlag.AlignCenter, self._more_text())
            last = more
        if self.transition is not None:
            self._paint_transition(painter, last, bar_top, bar_height, scale)

    def _paint_transition(self, painter: QPainter, last: QRectF, bar_top: float, bar_height: float,
                          scale: float) -> None:
        transition, box = self.transition, self.node_rect(TRANSITION)
        middle = self._row_top() + NODE_HEIGHT / 2
        self._arrow(painter, QPointF(last.right() + 2, middle), QPointF(box.left() - 2, middle))
        painter.setPen(QPen(INK, 2 if self.hovered == TRANSITION else 1))
        painter.setBrush(QColor("#ffe599"))
        painter.drawRoundedRect(box, 4, 4)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "\n".join(self._transition_lines()))
        # its bars: the maps it receives, and the ⌊θ·C⌋ it keeps, at half the width (half the size)
        bottom = bar_top + bar_height
        width = min(box.width() / 3, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#b7b7b7"))
        painter.drawRect(QRectF(box.left() + 4, bottom - transition.maps_in * scale, width, transition.maps_in * scale))
        painter.setBrush(QColor("#f1c232"))
        painter.drawRect(QRectF(box.left() + 10 + width, bottom - transition.maps_out * scale, width / 2,
                                transition.maps_out * scale))
        painter.setPen(INK)
        text = QRectF(box.left() - 30, bottom + 2, box.width() + 60, TEXT_HEIGHT)
        painter.drawText(text, Qt.AlignmentFlag.AlignHCenter, f"{transition.maps_in} → {transition.maps_out}")
        size = "{}×{} → {}×{}".format(*transition.size_in, *transition.size_out)
        painter.drawText(text.translated(0, TEXT_HEIGHT), Qt.AlignmentFlag.AlignHCenter, size)

    def _lone_steps(self) -> list[str]:
        return [self.tr("BN-ReLU, 1×1 conv"), self.tr("2×2 average pool")]

    def _lone_gap(self) -> float:
        return max(self.fontMetrics().horizontalAdvance(step) for step in self._lone_steps()) + 40

    def _paint_lone_transition(self, painter: QPainter) -> None:
        """An opened transition: C maps of H×W, a 1×1 convolution to ⌊θ·C⌋, 2×2 average pooling to H/2×W/2;
        each slab as tall as its maps and as wide as its size."""
        transition = self.transition
        top = self._top() + MARGIN + TEXT_HEIGHT
        bottom = self._top() + self._used_height() - MARGIN - 2 * TEXT_HEIGHT
        scale = (bottom - top) / transition.maps_in
        slabs = [(transition.maps_in, transition.size_in, QColor("#b7b7b7")),
                 (transition.maps_out, transition.size_in, QColor("#f1c232")),
                 (transition.maps_out, transition.size_out, QColor("#f1c232"))]
        steps, gap = self._lone_steps(), self._lone_gap()
        left = self._left()
        for number, (maps, size, colour) in enumerate(slabs):
            width = SLAB * size[0] / transition.size_in[0]
            rect = QRectF(left, bottom - maps * scale, width, maps * scale)
            painter.setPen(QPen(INK, 1))
            painter.setBrush(colour)
            painter.drawRect(rect)
            label = QRectF(left - 20, bottom + 2, width + 40, TEXT_HEIGHT)
            painter.drawText(label, Qt.AlignmentFlag.AlignHCenter, str(maps))
            painter.drawText(label.translated(0, TEXT_HEIGHT), Qt.AlignmentFlag.AlignHCenter, "{}×{}".format(*size))
            left += width
            if number < len(steps):
                middle = (top + bottom) / 2
                self._arrow(painter, QPointF(left + 6, middle), QPointF(left + gap - 6, middle))
                painter.drawText(QRectF(left, middle - TEXT_HEIGHT - 2, gap, TEXT_HEIGHT),
                                 Qt.AlignmentFlag.AlignHCenter, steps[number])
                left += gap

    def _arrow(self, painter: QPainter, start: QPointF, end: QPointF) -> None:
        painter.setPen(QPen(INK, 1))
        painter.drawLine(start, end)
        painter.setBrush(INK)
        painter.drawPolygon(QPolygonF([end, end + QPointF(-6, -4), end + QPointF(-6, 4)]))
