"""Draws the app icons (a white pocket on the brand green) into static/icons at build time."""
import sys
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (11, 93, 75, 255)
WHITE = (255, 255, 255, 255)
# name: (size, share of the canvas the pocket may use). Maskable icons keep to the central safe zone.
ICONS = {
    "icon-192.png": (192, 0.62),
    "icon-512.png": (512, 0.62),
    "maskable-512.png": (512, 0.48),
    "apple-touch-icon.png": (180, 0.62),
}


def draw_icon(size: int, share: float, rounded: bool) -> Image.Image:
    """The brand square with a pocket: a rounded-bottom shape with a stitched opening line."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=BRAND)
    else:
        draw.rectangle((0, 0, size, size), fill=BRAND)
    pocket = size * share
    left, top = (size - pocket) / 2, (size - pocket) / 2
    right, bottom = left + pocket, top + pocket
    draw.rounded_rectangle((left, top, right, bottom), radius=int(pocket * 0.28), fill=WHITE)
    draw.rectangle((left, top, right, top + pocket * 0.3), fill=WHITE)
    stitch = max(2, size // 48)
    y = top + pocket * 0.3
    draw.line((left + pocket * 0.12, y, right - pocket * 0.12, y), fill=BRAND, width=stitch)
    return image


def build_icons(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (size, share) in ICONS.items():
        icon = draw_icon(size, share, rounded=not name.startswith(("maskable", "apple")))
        if name.startswith("apple"):
            icon = icon.convert("RGB")  # iOS shows transparency as black
        icon.save(folder / name, optimize=True)


if __name__ == "__main__":
    build_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "static/icons"))
