"""A seeded generator of a realistic portal: N Vietnamese news articles, plus unit data,
questions and procedures in proportion, written for our site and (same text) for Hugo.

    python bench/generate.py 1000 /tmp/site --seed 7

Writes <dir>/content (our layout, Pelican front matter) and <dir>/hugo (a Hugo project
with minimal layouts and the same articles in TOML front matter).
"""

import argparse
import random
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ["Chỉ đạo – Điều hành", "Cải cách hành chính", "Chính quyền điện tử", "Tin địa phương"]
PLACES = [
    "Hạ Long",
    "Cẩm Phả",
    "Uông Bí",
    "Móng Cái",
    "Đông Triều",
    "Quảng Yên",
    "Vân Đồn",
    "Tiên Yên",
    "Đầm Hà",
    "Hải Hà",
    "Bình Liêu",
    "Ba Chẽ",
    "Cô Tô",
]
SUBJECTS = [
    "UBND tỉnh",
    "Sở Nội vụ",
    "Sở Thông tin và Truyền thông",
    "Ban Thường vụ Tỉnh ủy",
    "bộ phận một cửa",
    "Trung tâm Phục vụ hành chính công",
    "Sở Tư pháp",
    "Sở Y tế",
]
ACTIONS = [
    "triển khai",
    "rà soát",
    "đánh giá",
    "đẩy mạnh",
    "hoàn thiện",
    "kiểm tra",
    "công khai",
    "hướng dẫn",
    "tổng kết",
    "chỉ đạo",
]
TOPICS = [
    "cải cách thủ tục hành chính",
    "dịch vụ công trực tuyến",
    "chữ ký số",
    "hợp nhất cơ quan Tổ chức – Nội vụ",
    "tiếp nhận hồ sơ qua mạng",
    "chuyển đổi số",
    "đào tạo cán bộ một cửa",
    "giải quyết hồ sơ đúng hạn",
    "thư điện tử công vụ",
    "đăng ký kinh doanh",
    "cấp phép xây dựng",
    "hộ tịch điện tử",
]
SENTENCE_PARTS = [
    "Theo báo cáo, {place} đã {action} {topic} trong {period}.",
    "Lãnh đạo {subject} đề nghị các đơn vị {action} {topic} và báo cáo kết quả trước ngày {day}.",
    "Tỷ lệ hồ sơ giải quyết đúng hạn của {place} đạt {rate}%, tăng so với cùng kỳ.",
    "Người dân có thể nộp hồ sơ trực tuyến và theo dõi kết quả bằng mã biên nhận.",
    "{subject} sẽ tiếp tục {action} {topic}, bảo đảm không gián đoạn việc phục vụ người dân.",
    "Một số khó khăn được nêu gồm đường truyền ở vùng cao, hải đảo và thiếu cán bộ chuyên trách.",
    "Các đơn vị thống nhất gửi số liệu định kỳ để tổng hợp, công khai trên Cổng thông tin.",
    "Kết quả {action} {topic} được đăng tải trong chuyên mục Tình hình xử lý.",
]
AUTHORS = ["Thu Trang", "Hoàng Nam", "Ngọc Mai", "Đức Thành", "Minh Hà", "Quốc Huy"]
TAGS = [
    "một cửa",
    "chữ ký số",
    "Hạ Long",
    "Cô Tô",
    "chuyển đổi số",
    "dịch vụ công trực tuyến",
    "Tổ chức – Nội vụ",
    "907-QĐ/TU",
    "hộ tịch",
    "công khai",
    "giao ban",
    "sắp xếp bộ máy",
]
PHOTOS = [
    "images/2018/bien-che-to-chuc-noi-vu.jpg",
    "images/2018/vinh-ha-long.jpg",
    "images/2018/bo-phan-mot-cua.jpg",
]


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCE_PARTS).format(
        place=rng.choice(PLACES),
        action=rng.choice(ACTIONS),
        topic=rng.choice(TOPICS),
        subject=rng.choice(SUBJECTS),
        period=rng.choice(["quý I", "quý II", "6 tháng đầu năm", "tháng trước", "năm nay"]),
        day=f"{rng.randint(1, 28)}/{rng.randint(1, 12)}",
        rate=f"{rng.uniform(90, 99.9):.2f}".replace(".", ","),
    )


def article(rng: random.Random, number: int, when: datetime) -> dict:
    title = (
        f"{rng.choice(PLACES)} {rng.choice(ACTIONS)} {rng.choice(TOPICS)} "
        f"{when:%m/%Y} (số {number})"
    )
    paragraphs = [
        " ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(4, 8))
    ]
    item = {
        "title": title[0].upper() + title[1:],
        "date": when,
        "category": rng.choice(CATEGORIES),
        "tags": rng.sample(TAGS, rng.randint(1, 3)),
        "author": rng.choice(AUTHORS),
        "source": rng.choice(SUBJECTS),
        "summary": f"QNP - Ngày {when.day}-{when.month}, " + sentence(rng),
        "body": "\n\n".join(paragraphs),
    }
    if rng.random() < 0.3:
        item["image"] = rng.choice(PHOTOS)
        item["image_alt"] = "Ảnh minh họa cho tin " + item["title"][:60]
    return item


def pelican_text(item: dict) -> str:
    lines = [
        f"Title: {item['title']}",
        f"Date: {item['date']:%Y-%m-%d %H:%M}",
        f"Category: {item['category']}",
        f"Tags: {', '.join(item['tags'])}",
        f"Author: {item['author']}",
        f"Source: {item['source']}",
        f"Summary: {item['summary']}",
    ]
    if "image" in item:
        lines += [f"Image: {item['image']}", f"ImageAlt: {item['image_alt']}"]
    return "\n".join(lines) + "\n\n" + item["body"] + "\n"


def hugo_text(item: dict) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    tags = ", ".join(quote(t) for t in item["tags"])
    return (
        f"+++\ntitle = {quote(item['title'])}\n"
        f"date = {item['date']:%Y-%m-%dT%H:%M:%S}+07:00\n"
        f"categories = [{quote(item['category'])}]\ntags = [{tags}]\n"
        f"author = {quote(item['author'])}\nsummary = {quote(item['summary'])}\n+++\n\n"
        + item["body"]
        + "\n"
    )


HUGO_LAYOUTS = {
    "baseof.html": '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>'
    '{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format '
    '"02/01/2006 15:04" }}</time><p><b>{{ .Summary }}</b></p>{{ .Content }}'
    "</article>{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
    "{{ end }}\n",
}


def write_hugo(folder: Path, items: list[dict]) -> None:
    (folder / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    for name, text in HUGO_LAYOUTS.items():
        (folder / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    (folder / "layouts" / "index.html").write_text(
        HUGO_LAYOUTS["list.html"].replace('define "main"', 'define "main"'), encoding="utf-8"
    )
    (folder / "hugo.toml").write_text(
        'baseURL = "https://example.vn/"\nlanguageCode = "vi"\ntitle = "Cổng thử"\n'
        'defaultContentLanguage = "vi"\n[pagination]\npagerSize = 10\n'
        '[taxonomies]\ncategory = "categories"\ntag = "tags"\n',
        encoding="utf-8",
    )
    posts = folder / "content" / "tin-tuc"
    for number, item in enumerate(items):
        path = posts / str(item["date"].year) / f"tin-{number:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(hugo_text(item), encoding="utf-8")


NEWEST = datetime(2018, 11, 20)  # every generated article is older (and the sample news)


def published_after_all(text: str, hour: int) -> str:
    """An article's text dated `hour` hours after NEWEST: news as an editor publishes it,
    newer than every other, so each page of the news index and of its category shifts."""
    dated = f"Date: {NEWEST + timedelta(hours=hour):%Y-%m-%d %H:%M}"
    return re.sub(r"^Date: .*$", dated, text, count=1, flags=re.MULTILINE)


def generate(count: int, folder: Path, seed: int = 7) -> list[Path]:
    """Writes the site; returns the article files (for the edit and add steps)."""
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    content = folder / "content"
    for part in ("trang", "data", "images", "hoi-dap", "dich-vu-cong"):
        shutil.copytree(ROOT / "content" / part, content / part)
    # The sample news too: pages link to them (N generated + 14 sample articles).
    shutil.copytree(ROOT / "content" / "tin-tuc", content / "tin-tuc")
    start = datetime(2008, 1, 1, 7, 0)
    span = (NEWEST - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
    items = [
        article(rng, n, when.replace(second=0, microsecond=0)) for n, when in enumerate(moments)
    ]
    files = []
    for number, item in enumerate(items):
        path = content / "tin-tuc" / str(item["date"].year) / f"tin-{number:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pelican_text(item), encoding="utf-8")
        files.append(path)
    _copy_in_proportion(content, count, rng)
    write_hugo(folder / "hugo", items)
    return files


def _copy_in_proportion(content: Path, count: int, rng: random.Random) -> None:
    """Questions and procedures grow with the site: one of each per 50 and 100 articles."""
    questions = sorted((content / "hoi-dap").glob("*.md"))
    for n in range(count // 50):
        source = questions[n % len(questions)]
        text = source.read_text(encoding="utf-8").replace("Title: ", f"Title: ({n}) ", 1)
        (content / "hoi-dap" / f"cau-hoi-{n:05d}.md").write_text(text, encoding="utf-8")
    services = sorted((content / "dich-vu-cong").glob("*.md"))
    for n in range(count // 100):
        source = services[n % len(services)]
        text = source.read_text(encoding="utf-8")
        text = text.replace("Code: ", f"Code: B{n:05d}.", 1)
        (content / "dich-vu-cong" / f"thu-tuc-{n:05d}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = generate(args.count, args.folder, args.seed)
    print(f"{len(files)} articles in {args.folder}")


if __name__ == "__main__":
    main()
