"""Editors' mistakes: one clear message per problem, naming file and line; nothing written."""

import io
import subprocess
import sys

import pytest
from conftest import ROOT, front_matter, news, write_content
from content_checks import ContentError, check_front_matter, read_header
from PIL import Image


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG = png()


def problems_in(make_site, files):
    with pytest.raises(ContentError) as caught:
        make_site(files)
    return [str(p) for p in caught.value.problems]


def test_duplicate_urls_name_both_files(make_site):
    problems = problems_in(
        make_site,
        {
            "tin-tuc/mot.md": news("Hợp nhất cơ quan Tổ chức – Nội vụ", "2018-11-08"),
            "tin-tuc/hai.md": news("Hợp nhất cơ quan Tổ chức - Nội vụ", "2018-03-01"),
        },
    )
    assert len(problems) == 2
    assert any("mot.md:1:" in p and "hai.md" in p for p in problems)
    assert any("hai.md:1:" in p and "mot.md" in p for p in problems)
    assert all("/tin-tuc/2018/hop-nhat-co-quan-to-chuc-noi-vu/" in p for p in problems)


@pytest.mark.parametrize(
    ("fields", "line", "words"),
    [
        ({"Category": "Thể thao"}, 3, "chuyên mục 'Thể thao' không có trong danh sách"),
        ({"Date": "ngày 8 tháng 11"}, 2, "không phải ngày hợp lệ"),
        ({"Date": "1890-11-08"}, 2, "năm 1890 khó tin"),
        ({"Status": "nháp"}, 6, "Status 'nháp' không hợp lệ"),
        ({"Catgory": "Tin địa phương"}, 6, "trường 'catgory' không có trong mẫu"),
        ({"Modified": "2018-11-01"}, 6, "Modified (ngày cập nhật) sớm hơn Date"),
        ({"Image": "images/khong-co.jpg", "ImageAlt": "Ảnh"}, 6, "không tìm thấy ảnh"),
        ({"Image": "images/a.png"}, 6, "thêm trường ImageAlt"),
        ({"Image": "images/a.gif", "ImageAlt": "Ảnh"}, 6, "phải là tệp"),
        ({"Author": ""}, 4, "trường Author để trống"),
    ],
)
def test_front_matter_mistakes(make_site, fields, line, words):
    text = news("Tin có lỗi", "2018-11-08 08:00", **fields)
    problems = problems_in(make_site, {"tin-tuc/loi.md": text, "images/a.png": PNG})
    assert len(problems) == 1, problems
    assert f"loi.md:{line}:" in problems[0] and words in problems[0]


def test_a_file_saved_in_another_encoding_names_its_line(make_site):
    text = news("Tin lưu sai bảng mã", "2018-11-08").encode()
    text += "Đoàn công tác.\n".encode("cp1258")  # a line added in a Windows editor
    problems = problems_in(make_site, {"tin-tuc/cp1258.md": text})
    assert len(problems) == 1, problems
    assert "cp1258.md:8: tệp không lưu bằng bảng mã UTF-8" in problems[0]
    assert "byte 0xD0" in problems[0] and "[bang-ma]" in problems[0]


def test_missing_required_fields_are_all_listed(make_site):
    text = front_matter(Title="Chỉ có tiêu đề", Date="2018-11-08")
    problems = problems_in(make_site, {"tin-tuc/thieu.md": text})
    missing = sorted(p.split("thiếu trường bắt buộc ")[1].split(" ")[0] for p in problems)
    assert missing == ["Author", "Category", "Summary"]


def test_every_file_is_reported_in_one_build(make_site):
    problems = problems_in(
        make_site,
        {
            "tin-tuc/a.md": news("Tin A", "2018-11-08", Category="Không có"),
            "tin-tuc/b.md": news("Tin B", "không phải ngày"),
            "tin-tuc/c.md": news("Tin C", "2018-11-08"),
            "trang/d.md": front_matter(Summary="Trang thiếu tiêu đề"),
        },
    )
    assert [p.split(":")[0].rsplit("/", 1)[-1] for p in problems] == ["a.md", "b.md", "d.md"]


def test_read_header_follows_markdown_meta_syntax():
    text = (
        "---\nTitle: Tiêu đề\nSummary: Dòng một\n    dòng hai\n---\nThân bài: không phải trường\n"
    )
    assert read_header(text) == [(2, "title", "Tiêu đề"), (3, "summary", "Dòng một dòng hai")]


def test_files_outside_news_and_pages_are_not_checked(settings):
    other = f"{settings['PATH']}/khac/ghi-chu.md"
    assert check_front_matter(other, "Khong: co\n\nBody", settings) == []


def test_command_line_reports_without_traceback_and_writes_nothing(tmp_path):
    content = write_content(
        tmp_path / "content",
        {
            "tin-tuc/mot.md": news("Trùng tên", "2018-11-08"),
            "tin-tuc/hai.md": news("Trùng tên", "2018-10-01"),
            "tin-tuc/ba.md": news("Sai chuyên mục", "2018-10-01", Category="Thời tiết"),
        },
    )
    output = tmp_path / "output"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-o",
            str(output),
            "-s",
            str(ROOT / "pelicanconf.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"COLUMNS": "200", "PATH": ""},
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in log
    assert "content/tin-tuc/mot.md:1:" in log and "content/tin-tuc/hai.md" in log
    assert "content/tin-tuc/ba.md:3: chuyên mục 'Thời tiết'" in log
    assert not list(output.rglob("*.html"))


@pytest.mark.parametrize(
    "source, kind",
    [
        ("/nd/content/tin-tuc/2026/tin.md", "article"),
        ("/nd/content/trang/gioi-thieu.md", "page"),
        ("/nd/content/tin-tuc-cu/tin.md", None),
        ("/nd/content/../content/tin-tuc/tin.md", "article"),  # not normalised: relpath
        ("/nd/khac/tin-tuc/tin.md", None),
        ("content/tin-tuc/tin.md", "article"),  # relative to where the build runs
    ],
)
def test_the_kind_of_a_source_is_told_by_its_folder_under_path(source, kind):
    from content_checks.front_matter import content_kind

    settings = {"PATH": "/nd/content", "ARTICLE_PATHS": ["tin-tuc"], "PAGE_PATHS": ["trang/"]}
    if not source.startswith("/"):
        settings["PATH"] = "content"
    assert content_kind(source, settings) == kind
