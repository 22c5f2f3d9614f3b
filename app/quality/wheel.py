"""The årshjul drawn on the server: twelve month segments and a mark for each activity's date (SVG geometry)."""
import math
from dataclasses import dataclass

from app.quality.rules import MONTH_NAMES, anchors

SIZE = 400
CENTRE = SIZE / 2
OUTER = 190
INNER = 120
LABEL_RADIUS = 155
MARK_RADIUS = 100


@dataclass(frozen=True)
class Segment:
    path: str
    label: str
    label_x: float
    label_y: float
    month: int


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    title: str
    kind: str


def point(angle: float, radius: float) -> tuple[float, float]:
    """A point on the wheel; angle 0 is the top (1 January) and grows clockwise."""
    return (round(CENTRE + radius * math.sin(angle), 1), round(CENTRE - radius * math.cos(angle), 1))


def month_angle(month: int) -> float:
    return 2 * math.pi * (month - 1) / 12


def day_angle(month: int, day: int) -> float:
    """Where a day of the year sits: months as equal twelfths, a day as its share of a 31-day month."""
    return month_angle(month) + (2 * math.pi / 12) * (day - 0.5) / 31


def segments() -> list[Segment]:
    found = []
    for month in range(1, 13):
        start, end = month_angle(month), month_angle(month + 1)
        (ox1, oy1), (ox2, oy2) = point(start, OUTER), point(end, OUTER)
        (ix1, iy1), (ix2, iy2) = point(start, INNER), point(end, INNER)
        path = (f"M {ox1} {oy1} A {OUTER} {OUTER} 0 0 1 {ox2} {oy2} L {ix2} {iy2} "
                f"A {INNER} {INNER} 0 0 0 {ix1} {iy1} Z")
        label_x, label_y = point((start + end) / 2, LABEL_RADIUS)
        found.append(Segment(path, MONTH_NAMES[month - 1][:3], label_x, label_y, month))
    return found


def marks(activities) -> list[Mark]:
    """A dot per activity per day of the year it falls on; several on a day step inwards."""
    taken: dict[tuple[int, int], int] = {}
    found = []
    for activity in activities:
        for day in anchors(activity.recurrence, activity.month_days):
            ring = taken.get((day.month, day.day), 0)
            taken[(day.month, day.day)] = ring + 1
            x, y = point(day_angle(day.month, day.day), MARK_RADIUS - 14 * ring)
            found.append(Mark(x, y, f"{activity.name}, {day.day} {MONTH_NAMES[day.month - 1]}", activity.kind))
    return found


def by_month(activities) -> list[tuple[str, list[tuple[int, object]]]]:
    """The accessible list beside the wheel: each month with its (day, activity) pairs in date order."""
    months: list[list[tuple[int, object]]] = [[] for _ in range(12)]
    for activity in activities:
        for day in anchors(activity.recurrence, activity.month_days):
            months[day.month - 1].append((day.day, activity))
    return [(MONTH_NAMES[index].capitalize(), sorted(items, key=lambda pair: (pair[0], pair[1].name)))
            for index, items in enumerate(months)]
