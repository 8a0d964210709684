"""One version of a photo, encoded at the best quality that stays within the budget."""

import io

from PIL import Image, ImageOps

# Pillow's names; AVIF and WebP go in <source>, JPEG is what every browser shows.
# AVIF on one thread: Pillow gives the encoder as many threads as the machine has cores,
# and one thread encodes other bytes than two or more (17927 against 18043 for an
# 800 px version), so a photo's versions depended on the machine that built them. One
# thread also costs less CPU: 60 ms against 71-89 for that version, on a build whose
# readers keep both cores busy anyway.
KINDS = {
    "avif": ("AVIF", "image/avif", {"speed": 7, "max_threads": 1}),
    "webp": ("WEBP", "image/webp", {"method": 5}),
    "jpeg": ("JPEG", "image/jpeg", {"optimize": True, "progressive": True}),
}


def encode(image: Image.Image, kind: str, quality: int) -> bytes:
    name, _mime, options = KINDS[kind]
    buffer = io.BytesIO()
    image.save(buffer, name, quality=quality, **options)
    return buffer.getvalue()


STEP = 5  # qualities tried: 85, 80, ... a finer step changes bytes, not what readers see


def fit(
    image: Image.Image, kind: str, budget: int, lowest: int, highest: int
) -> tuple[int, bytes] | None:
    """(quality, bytes) for the highest quality in [lowest, highest], in steps of STEP,
    whose bytes fit `budget`; None when even the lowest is too heavy. Sizes grow with
    quality: the highest is tried first (a small version fits at once), then a binary
    search, three or four encodings."""
    qualities = list(range(lowest, highest + 1, STEP))
    if qualities[-1] != highest:
        qualities.append(highest)
    data = encode(image, kind, highest)
    if len(data) <= budget:
        return highest, data
    best, low, high = None, 0, len(qualities) - 2
    while low <= high:
        middle = (low + high) // 2
        data = encode(image, kind, qualities[middle])
        if len(data) <= budget:
            best, low = (qualities[middle], data), middle + 1
        else:
            high = middle - 1
    return best


def flat(image: Image.Image) -> Image.Image:
    """RGB for every encoder: transparency on white (a portal's pages are white), the
    camera's orientation applied."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")
