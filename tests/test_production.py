"""The production build: fingerprinted assets, compressed copies, canonical and Open Graph,
and no development leftovers."""

import gzip
import json

import brotli
from conftest import soup

ARTICLE = (
    "tin-tuc/2018/ban-thuong-vu-tinh-uy-nghe-bao-cao-ket-qua-hop-nhat-co-quan-to-chuc-"
    "noi-vu-cap-huyen/"
)
SITE = "https://chinhquyendientu.quangninh.gov.vn"


def test_assets_are_fingerprinted_and_referenced(published_site):
    stamp = json.loads((published_site / ".build-info.json").read_text(encoding="utf-8"))
    renamed = stamp["fingerprinted"]
    assert set(renamed) == {
        "theme/css/portal.css",
        "theme/js/portal.js",
        "theme/js/counter.js",
        "theme/js/search.js",
    }
    for old, new in renamed.items():
        assert not (published_site / old).exists() and (published_site / new).is_file()
    for html in published_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for old in renamed:
            assert f'/{old}"' not in text, f"{html} still names {old}"
    home = soup(published_site / "index.html")
    stylesheet = home.select_one("link[rel=stylesheet]")["href"]
    assert stylesheet == f"{SITE}/{renamed['theme/css/portal.css']}"


def test_text_files_have_gzip_and_brotli_copies(published_site):
    for name in ("index.html", f"{ARTICLE}index.html", "sitemap.xml", "feeds/tin-tuc.atom.xml"):
        original = (published_site / name).read_bytes()
        assert gzip.decompress((published_site / f"{name}.gz").read_bytes()) == original
        assert brotli.decompress((published_site / f"{name}.br").read_bytes()) == original
    assert not list(published_site.rglob("*.jpg.gz"))  # photos are compressed already


def test_canonical_and_open_graph(published_site):
    page = soup(published_site / ARTICLE / "index.html")
    assert page.select_one("link[rel=canonical]")["href"] == f"{SITE}/{ARTICLE}"
    og = {m["property"]: m["content"] for m in page.select("meta[property^='og:']")}
    assert og["og:type"] == "article" and og["og:url"] == f"{SITE}/{ARTICLE}"
    assert og["og:title"].startswith("Ban Thường vụ Tỉnh ủy")
    assert og["og:image"].startswith(f"{SITE}/anh/")
    assert og["og:image"].endswith(
        "/bien-che-to-chuc-noi-vu-960.jpg"
    )  # JPEG: every reader takes it
    assert og["og:locale"] == "vi_VN"
    home = soup(published_site / "index.html")
    assert home.select_one("link[rel=canonical]")["href"] == f"{SITE}/"
    # pages of the plugins' generators and direct templates name themselves too
    for path in ("don-vi/ha-long/", "tinh-hinh-xu-ly/", "dich-vu-cong/", "tim-kiem/", "hoi-dap/"):
        canonical = soup(published_site / path / "index.html").select_one("link[rel=canonical]")
        assert canonical["href"] == f"{SITE}/{path}"
    english = soup(published_site / "en/index.html")
    assert english.select_one("meta[property='og:locale']")["content"] == "en_GB"
    assert soup(published_site / "404.html").select_one("link[rel=canonical]") is None


def test_no_development_leftovers(published_site):
    assert not list(published_site.rglob("*.map"))
    assert not (published_site / "ban-nhap").exists()
    assert not list(published_site.rglob("live-reload*.js"))
    for path in published_site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".js", ".css", ".txt", ".vcf"):
            text = path.read_text(encoding="utf-8")
            assert "127.0.0.1" not in text and "localhost" not in text, path
            assert "live-reload" not in text, path
    footer = soup(published_site / "index.html").select_one(".visitor-counter")
    assert footer["data-counter-endpoint"] == "/bo-dem"
