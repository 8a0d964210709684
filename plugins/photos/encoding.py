"""One version of a photo, encoded at the best quality that stays within the budget."""

import io

from PIL import Image, ImageOps

# Pillow's names; AVIF and WebP go in <source>, JPEG is what every browser shows
KINDS = {
    "avif": ("AVIF", "image/avif", {"speed": 7}),
    "webp": ("WEBP", "image/webp", {"method": 5}),
    "jpeg": ("JPEG", "image/jpeg", {"optimize": True, "progressive": True}),
}


def encode(image: Image.Image, kind: str, quality: int) -> bytes:
    name, _mime, options = KINDS[kind]
    buffer = io.BytesIO()
    image.save(buffer, name, quality=quality, **options)
    return buffer.getvalue()


def fit(image: Image.Image, kind: str, budget: int, lowest: int, highest: int) -> bytes | None:
    """The highest quality in [lowest, highest] whose bytes fit `budget`: a binary
    search (sizes grow with quality), four or five encodings. None when even the lowest
    quality is too heavy."""
    best = None
    while lowest <= highest:
        middle = (lowest + highest) // 2
        data = encode(image, kind, middle)
        if len(data) <= budget:
            best, lowest = data, middle + 1
        else:
            highest = middle - 1
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
