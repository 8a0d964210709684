"""The versions of one photo: for each width and format, the best quality within the
budget, so a phone never fetches more than the rules allow (under 30 KB a photo)."""

import os
from dataclasses import dataclass

from PIL import Image
from vn_text import slugify

from .encoding import KINDS, fit, flat

SMALLEST = 160  # px; a fallback narrower than this would say nothing


@dataclass(frozen=True)
class Options:
    widths: tuple[int, ...]
    kinds: tuple[str, ...]  # <source> formats first, "jpeg" last: what <img> shows
    budget: int  # bytes a version may weigh
    lowest: int  # qualities searched
    highest: int
    folder: str  # under the output folder

    @classmethod
    def of(cls, settings) -> "Options":
        given = settings.get("PHOTOS", {})
        return cls(
            widths=tuple(sorted(given.get("widths", (400, 800, 1200)))),
            kinds=tuple(given.get("formats", ("avif", "webp", "jpeg"))),
            budget=given.get("budget", 30_000),
            lowest=given.get("lowest_quality", 35),
            highest=given.get("highest_quality", 85),
            folder=given.get("output", "anh").strip("/"),
        )


def widths_for(original: int, wanted: tuple[int, ...]) -> list[int]:
    """Never wider than the original; a photo no wider than the widest wanted width is
    also offered at its own width."""
    widths = [width for width in wanted if width < original]
    if original <= wanted[-1] or not widths:
        widths.append(original)
    return widths


def scaled(image: Image.Image, width: int) -> Image.Image:
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def make_versions(path: str, key: str, options: Options) -> tuple[dict, dict[str, bytes]]:
    """The photo's description for templates and the bytes of each file to publish."""
    with Image.open(path) as opened:
        image = flat(opened)
    name, extension = os.path.splitext(os.path.basename(path))
    stem = slugify(name) or "anh"
    folder = f"{options.folder}/{key[:12]}"
    files: dict[str, bytes] = {}
    sources = []
    resized = {width: scaled(image, width) for width in widths_for(image.width, options.widths)}
    for kind in options.kinds:
        found, highest = [], options.highest
        for width, version in resized.items():
            # a wider version at the same quality weighs more: its quality is no higher
            fitted = fit(version, kind, options.budget, options.lowest, highest)
            if fitted is None:
                break
            highest, data = fitted
            found.append((width, data))
        width = min(resized)
        while kind == "jpeg" and not found and width > SMALLEST:
            width = max(SMALLEST, int(width * 0.75))  # <img> must show something
            fitted = fit(scaled(image, width), kind, options.budget, 1, options.lowest)
            if fitted is not None:
                found.append((width, fitted[1]))
        if not found:
            continue
        srcset = []
        for width, data in found:
            url = f"{folder}/{stem}-{width}.{kind.replace('jpeg', 'jpg')}"
            files[url] = data
            srcset.append([url, width])
        sources.append({"type": KINDS[kind][1], "srcset": srcset})
    with open(path, "rb") as handle:
        original = handle.read()
    original_url = f"{folder}/{stem}{extension.lower()}"
    files[original_url] = original
    fallback = sources.pop() if sources and sources[-1]["type"] == "image/jpeg" else None
    if fallback is None:
        raise ValueError("no JPEG version fits the budget")
    src, width = fallback["srcset"][-1]
    description = {
        "key": key,
        "source": os.path.abspath(path),
        "sources": sources,  # <source> elements, best format first
        "srcset": fallback["srcset"],
        "src": src,
        "width": width,
        "height": max(1, round(image.height * width / image.width)),
        "original": {
            "url": original_url,
            "width": image.width,
            "height": image.height,
            "bytes": len(original),
        },
        "files": {url: len(data) for url, data in sorted(files.items())},  # url: bytes
    }
    return description, files
