"""Photos for phones: versions within the byte budget, markup, cache and editors' checks."""

import fcntl
import io
import random
import re

import pytest
from conftest import ROOT, news, soup
from content_checks.reader import ContentError
from fast_build import reading
from photos import encoding, store
from photos.body import srcset
from photos.versions import Options, make_versions, widths_for
from PIL import Image, ImageDraw, ImageFilter

BUDGET = 30_000
OPTIONS = Options(
    widths=(400, 800, 1200),
    kinds=("avif", "webp", "jpeg"),
    budget=BUDGET,
    lowest=35,
    highest=85,
    folder="anh",
)


def camera_photo(width=3000, height=2000, kind="JPEG", seed=1, **save) -> bytes:
    """A photo as heavy to compress as a real one: noise, gradients, shapes, soft edges."""
    rng = random.Random(seed)
    noise = Image.effect_noise((width, height), 40)
    ramp = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (ramp, noise, ramp.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(image)
    for _ in range(200):
        x, y = rng.randrange(width), rng.randrange(height)
        box = (x, y, x + rng.randrange(20, width // 6), y + rng.randrange(20, height // 6))
        draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"quality": 92} if kind == "JPEG" else {}), **save)
    return buffer.getvalue()


def versions_of(tmp_path, data: bytes, name="anh-chup.jpg", options=OPTIONS):
    path = tmp_path / name
    path.write_bytes(data)
    return make_versions(str(path), "0123456789abcdef", options)


def test_a_full_size_photo_gets_three_widths_in_three_formats_each_within_budget(tmp_path):
    original = camera_photo()
    assert len(original) > 10 * BUDGET  # what an editor's camera gives
    description, files = versions_of(tmp_path, original)
    assert [s["type"] for s in description["sources"]] == ["image/avif", "image/webp"]
    for versions in [s["srcset"] for s in description["sources"]] + [description["srcset"]]:
        assert len(versions) >= 2
        assert [w for _, w in versions] == sorted(w for _, w in versions)
        assert all(w <= 1200 for _, w in versions)
    for url, data in files.items():
        if url != description["original"]["url"]:
            assert len(data) <= BUDGET, url
            with Image.open(io.BytesIO(data)) as image:
                width = int(re.search(r"-(\d+)\.\w+$", url).group(1))
                assert image.size == (width, round(2000 * width / 3000)), url
    assert files[description["original"]["url"]] == original
    assert description["original"] == {
        "url": "anh/0123456789ab/anh-chup.jpg",
        "width": 3000,
        "height": 2000,
        "bytes": len(original),
    }
    assert (description["width"], description["height"]) in {(800, 533), (1200, 800)}
    assert description["files"] == {url: len(data) for url, data in files.items()}


@pytest.mark.parametrize(
    ("original", "widths"),
    [
        (3000, [400, 800, 1200]),
        (1200, [400, 800, 1200]),
        (960, [400, 800, 960]),
        (800, [400, 800]),
        (300, [300]),
    ],
)
def test_widths_never_exceed_the_original(original, widths):
    assert widths_for(original, (400, 800, 1200)) == widths


def test_a_small_photo_is_never_enlarged(tmp_path):
    description, files = versions_of(tmp_path, camera_photo(300, 200))
    assert [w for _, w in description["srcset"]] == [300]
    assert (description["width"], description["height"]) == (300, 200)
    assert all(len(data) <= BUDGET for data in files.values())


def test_transparency_goes_on_white_and_the_camera_orientation_is_applied(tmp_path):
    clear = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    buffer = io.BytesIO()
    clear.save(buffer, "PNG")
    description, files = versions_of(tmp_path, buffer.getvalue(), "so-do.png")
    with Image.open(io.BytesIO(files[description["src"]])) as jpeg:
        assert jpeg.getpixel((10, 10)) == (255, 255, 255)
    assert description["original"]["url"].endswith("/so-do.png")

    exif = Image.Exif()
    exif[0x0112] = 6  # the phone was held upright: turn 90° when shown
    upright = camera_photo(900, 600, exif=exif.tobytes())
    description, _ = versions_of(tmp_path, upright, "dung.jpg")
    assert description["original"]["width"] == 600 and description["original"]["height"] == 900


def test_a_photo_gives_the_same_versions_on_a_machine_with_one_core_or_many(monkeypatch):
    """Pillow gives the AVIF encoder a thread per core unless told otherwise, and one
    thread encodes other bytes than several: a photo's versions must not depend on the
    machine that built the site (CI, an editor's laptop)."""
    from PIL import AvifImagePlugin

    with Image.open(ROOT / "content/images/2018/bien-che-to-chuc-noi-vu.jpg") as opened:
        version = opened.convert("RGB").resize((800, 533))
    made = []
    for cores in (1, 4):
        monkeypatch.setattr(AvifImagePlugin, "DEFAULT_MAX_THREADS", cores)
        made.append(encoding.encode(version, "avif", 85))
    assert made[0] == made[1]


def test_versions_made_with_other_encoder_options_are_not_taken_from_the_cache(monkeypatch):
    photo = str(ROOT / "content/images/2018/vinh-ha-long.jpg")
    key = store.photo_key(photo, OPTIONS)
    monkeypatch.setitem(encoding.KINDS, "avif", ("AVIF", "image/avif", {"speed": 9}))
    assert store.photo_key(photo, OPTIONS) != key


def test_a_photo_is_encoded_once_then_taken_from_the_cache(tmp_path, monkeypatch):
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(camera_photo(1000, 700))
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "PHOTOS": {"widths": [400, 800]}}
    first = store.describe(str(photo), settings)
    store._describe.cache_clear()  # as a later build would start

    def never(*_args):
        raise AssertionError("encoded again")

    monkeypatch.setattr(store, "make_versions", never)
    assert store.describe(str(photo), settings) == first
    for url in first["files"]:  # every version can be published again from the cache
        assert store.version_bytes(settings, first, url)


def test_a_photo_another_process_is_making_puts_the_reading_ahead_off(tmp_path, monkeypatch):
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(camera_photo(600, 400))
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "PHOTOS": {"widths": [400]}}
    key = store.photo_key(str(photo), Options.of(settings))
    lock = store.folder_of(settings, key).with_name(f"{key}.lock")
    lock.parent.mkdir(parents=True)
    store._describe.cache_clear()
    with open(lock, "w") as other:  # the other process, making the versions
        fcntl.flock(other, fcntl.LOCK_EX)
        monkeypatch.setattr(reading, "_reading_ahead", True)
        with pytest.raises(reading.ReadLater) as put_off:
            store.describe(str(photo), settings)
        assert put_off.value.ready() is False
    assert put_off.value.ready() is True  # its lock let go
    assert store.describe(str(photo), settings)["files"]


def test_article_pages_and_listings_use_the_versions(make_site):
    site = make_site(
        {
            "tin-tuc/2018/anh.md": news(
                "Tin có ảnh lớn",
                "2018-11-08 08:00",
                Image="anh-hoi-nghi.jpg",  # next to the article
                ImageAlt='Quang cảnh hội nghị "Chuyển đổi số" & trưng bày',
                ImageCaption="Hội nghị sáng 8-11",
            ),
            "tin-tuc/2018/anh-hoi-nghi.jpg": camera_photo(),
            "tin-tuc/2018/khong-anh.md": news("Tin không ảnh", "2018-11-07 08:00"),
        }
    )
    page = soup(site / "tin-tuc/2018/tin-co-anh-lon/index.html")
    figure = page.select_one("figure.article-photo")
    picture = figure.picture
    img = picture.img
    assert [s["type"] for s in picture.find_all("source")] == ["image/avif", "image/webp"]
    assert img["alt"] == 'Quang cảnh hội nghị "Chuyển đổi số" & trưng bày'  # quotes survive
    assert img["fetchpriority"] == "high" and "loading" not in img.attrs  # the first view
    assert img["sizes"] == "(min-width: 48rem) 46rem, calc(100vw - 2rem)"
    ratio = int(img["width"]) / int(img["height"])
    assert ratio == pytest.approx(1.5, abs=0.01)
    urls = [img["src"]] + [u.split()[0] for u in img["srcset"].split(", ")]
    for source in picture.find_all("source"):
        assert source["sizes"] == img["sizes"]
        urls += [u.split()[0] for u in source["srcset"].split(", ")]
    for url in urls:
        assert (site / url.lstrip("/")).stat().st_size <= BUDGET, url
    link = figure.select_one("a.photo-original")
    assert link.get_text().startswith("Xem ảnh gốc (3.000 × 2.000 điểm ảnh, ")
    assert (site / link["href"].lstrip("/")).stat().st_size > 10 * BUDGET

    listing = soup(site / "tin-tuc/index.html")
    thumb = listing.select_one(".news-item img.news-thumb")
    assert thumb["loading"] == "lazy" and thumb["alt"] == ""  # the title beside it says it all
    assert thumb["sizes"] == "7.5rem"
    assert len(listing.select(".news-item img")) == 1


@pytest.mark.parametrize(
    "data",
    [b"not a photo at all", camera_photo(800, 600)[:9000]],
    ids=["not-a-photo", "cut-off-jpeg"],
)
def test_an_unreadable_photo_is_reported_with_its_line(make_site, data):
    text = news("Tin ảnh hỏng", "2018-11-08 08:00", Image="images/hong.jpg", ImageAlt="Ảnh")
    with pytest.raises(ContentError) as caught:
        make_site({"tin-tuc/hong.md": text, "images/hong.jpg": data})
    [problem] = [str(p) for p in caught.value.problems]
    assert "hong.md:6:" in problem and "không đọc được tệp ảnh" in problem


def test_a_photo_with_too_many_pixels_is_reported(make_site):
    text = news("Tin ảnh to", "2018-11-08 08:00", Image="images/to.jpg", ImageAlt="Ảnh")
    with pytest.raises(ContentError) as caught:
        make_site(
            {"tin-tuc/to.md": text, "images/to.jpg": camera_photo(1200, 800)},
            PHOTOS={"max_pixels": 500_000},
        )
    [problem] = [str(p) for p in caught.value.problems]
    assert "to.md:6:" in problem and "1200 × 800 điểm ảnh, quá giới hạn" in problem


def test_a_photo_over_the_size_limit_is_reported(make_site):
    text = news("Tin ảnh nặng", "2018-11-08 08:00", Image="images/nang.jpg", ImageAlt="Ảnh")
    photo = camera_photo(1200, 800)
    with pytest.raises(ContentError) as caught:
        make_site(
            {"tin-tuc/nang.md": text, "images/nang.jpg": photo},
            PHOTOS={"max_bytes": len(photo) - 1},
        )
    [problem] = [str(p) for p in caught.value.problems]
    assert "nang.md:6:" in problem and "quá giới hạn" in problem


def test_photos_in_a_body_get_versions_and_link_to_the_original(make_site):
    body = (
        'Mở đầu.\n\n![Sơ đồ "bộ phận một cửa"]({static}/images/so-do.jpg)\n\n'
        "![Ảnh cạnh bài](hien-truong.png)\n\n![Ảnh nơi khác](https://example.com/a.jpg)\n"
    )
    png = io.BytesIO()
    Image.open(io.BytesIO(camera_photo(1600, 1000))).save(png, "PNG")
    site = make_site(
        {
            "tin-tuc/2018/anh-trong-bai.md": news("Tin có ảnh trong bài", "2018-11-08", body=body),
            "images/so-do.jpg": camera_photo(2400, 1600, seed=2),
            "tin-tuc/2018/hien-truong.png": png.getvalue(),
        }
    )
    page = soup(site / "tin-tuc/2018/tin-co-anh-trong-bai/index.html")
    links = page.select(".article-body a.body-photo")
    assert len(links) == 2
    first = links[0].picture.img
    assert first["alt"] == 'Sơ đồ "bộ phận một cửa"' and first["loading"] == "lazy"
    assert first["width"] and first["height"] and first["srcset"]
    for link in links:
        assert (site / link["href"].lstrip("/")).stat().st_size > BUDGET  # the original
        for img_or_source in link.select("img, source"):
            for candidate in img_or_source["srcset"].split(", "):
                url = candidate.split()[0]
                assert (site / url.lstrip("/")).stat().st_size <= BUDGET, url
    assert links[1]["href"].endswith("/hien-truong.png")
    other = page.select_one('.article-body img[src="https://example.com/a.jpg"]')
    assert other is not None and other.find_parent("picture") is None  # not ours: as it was


DRAFT_WITH_PHOTO = {
    "tin-tuc/2018/nhap.md": news(
        "Tin nháp có ảnh",
        "2018-11-08 08:00",
        Status="draft",
        Image="images/nhap.jpg",
        ImageAlt="Ảnh của tin nháp",
    ),
    "tin-tuc/2018/cong-khai.md": news("Tin công khai", "2018-11-07 08:00"),
    "images/nhap.jpg": camera_photo(900, 600),
}


def test_a_draft_shows_its_photo_in_the_preview(make_site):
    site = make_site(DRAFT_WITH_PHOTO)
    page = soup(site / "ban-nhap/tin-nhap-co-anh/index.html")
    img = page.select_one("figure.article-photo img")
    for url in [img["src"]] + [c.split()[0] for c in img["srcset"].split(", ")]:
        assert (site / url.lstrip("/")).is_file(), url


def test_a_draft_photo_is_never_published(make_site):
    """Production writes no drafts, so none of their photos either: an unpublished
    photo must not be reachable by its address."""
    site = make_site(DRAFT_WITH_PHOTO, conf="publishconf.py")
    assert (site / "tin-tuc/2018/tin-cong-khai/index.html").is_file()
    assert not (site / "ban-nhap").exists()
    assert not (site / "anh").exists()


def test_a_srcset_lists_each_version_with_its_width():
    versions = [["anh/ha-long-320.avif", 320], ["anh/ha-long-640.avif", 640]]
    expected = "https://quangninh.gov.vn/anh/ha-long-320.avif 320w, "
    expected += "https://quangninh.gov.vn/anh/ha-long-640.avif 640w"
    assert srcset(versions, "https://quangninh.gov.vn") == expected
    assert srcset(versions[:1], "") == "/anh/ha-long-320.avif 320w"
