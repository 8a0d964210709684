"""`make check`: all problems at once as file:line: message, a one-line summary when clean."""

import subprocess
import sys
import unicodedata

from conftest import ROOT, news, write_content


def run_check(path=None):
    command = [sys.executable, "-m", "content_checks", "-s", str(ROOT / "pelicanconf.py")]
    if path:
        command += ["--path", str(path)]
    env = {"PYTHONPATH": str(ROOT / "plugins"), "PATH": ""}
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)


def test_clean_sample_gives_one_line(tmp_path):
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Nội dung hợp lệ: 33 tệp nội dung")
    assert not (ROOT / "content" / "output").exists()


def test_every_problem_at_once_and_nothing_written(tmp_path):
    body = (
        "Xem [tin cũ]({filename}/tin-tuc/khong-co.md) và [trang lạ](/trang-khong-co/).\n\n"
        "![](/images/a.png)\n\n![Ảnh không có]({static}/images/khong-co.png)\n"
    )
    content = write_content(
        tmp_path / "content",
        {
            "tin-tuc/a.md": news("Tin có liên kết hỏng", "2018-11-08", body=body),
            "tin-tuc/b.md": news("Tin sai chuyên mục", "2018-11-08", Category="Thể thao"),
            "tin-tuc/c.md": unicodedata.normalize("NFD", news("Tin tổ hợp", "2018-11-08")),
            "tin-tuc/d.md": news("Trùng", "2018-11-08"),
            "tin-tuc/e.md": news("Trùng", "2018-11-01"),
            "tin-tuc/f.md": news("Bảng mã", "2018-11-08").encode() + "Đoàn.".encode("cp1258"),
            "data/don-vi.yaml": "don_vi:\n  - {ma: a, ten: A, loai: quận}\n",
            "images/a.png": bytes.fromhex(
                "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154"
                "08d763f8ffff3f0005fe02fea7d6a4f50000000049454e44ae426082"
            ),
        },
    )
    result = run_check(content)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    rules = sorted(line.rsplit("[", 1)[1].rstrip("]") for line in lines)
    assert rules == sorted(
        [
            "lien-ket-hong",
            "lien-ket-hong",
            "anh-alt",
            "anh-thieu",
            "chuyen-muc",
            "nfc",
            "trung-dia-chi",
            "trung-dia-chi",
            "loai-don-vi",
            "bang-ma",
        ]
    )
    for line in lines:
        path, number, message = line.split(":", 2)
        assert path.startswith(str(content)) and number.isdigit() and message.strip()
    assert any("a.md:7: liên kết '{filename}/tin-tuc/khong-co.md'" in line for line in lines)
    assert any("a.md:9: ảnh 'a.png' thiếu mô tả" in line for line in lines)
    assert "Traceback" not in result.stderr
    assert any("f.md:8: tệp không lưu bằng bảng mã UTF-8" in line for line in lines)
    assert "10 lỗi trong" in result.stderr
    assert not (content.parent / "output").exists()


def test_publish_and_deploy_stop_before_writing_when_a_check_fails(tmp_path):
    content = write_content(
        tmp_path / "content",
        {
            "tin-tuc/a.md": news("Tin", "2018-11-08", body="[hỏng](/khong-co/)"),
        },
    )
    output, target = tmp_path / "output-publish", tmp_path / "srv"
    result = subprocess.run(
        [
            "make",
            "-s",
            "deploy",
            f"INPUTDIR={content}",
            f"PUBLISHDIR={output}",
            f"DEPLOY_TARGET={target}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "a.md:7: liên kết '/khong-co/' không dẫn tới trang nào" in result.stdout
    assert not output.exists() and not target.exists()


def test_photos_editors_must_fix(tmp_path):
    """A lead photo that is no photo, and a heavy GIF in a body, for which no small version
    is made; a heavy JPEG in a body gets its versions and is fine."""
    import io

    from PIL import Image

    noise = Image.effect_noise((900, 600), 60).convert("RGB")
    heavy, animation = io.BytesIO(), io.BytesIO()
    noise.save(heavy, "JPEG", quality=95)
    noise.save(animation, "GIF")
    content = write_content(
        tmp_path / "content",
        {
            "tin-tuc/a.md": news(
                "Tin ảnh hỏng", "2018-11-08", Image="images/hong.jpg", ImageAlt="Ảnh hỏng"
            ),
            "tin-tuc/b.md": news(
                "Tin ảnh nặng",
                "2018-11-07",
                body="Mở đầu.\n\n![Ảnh động](/images/nang.gif)\n\n![Ảnh lớn](/images/lon.jpg)\n",
            ),
            "images/hong.jpg": b"\xff\xd8 not really a jpeg",
            "images/nang.gif": animation.getvalue(),
            "images/lon.jpg": heavy.getvalue(),
        },
    )
    result = run_check(content)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2, lines
    assert any("a.md:6: ảnh 'images/hong.jpg': không đọc được tệp ảnh" in line for line in lines)
    assert any(
        "b.md:9: ảnh 'nang.gif' trong thân bài nặng" in line and "[anh-nang]" in line
        for line in lines
    )
    assert "Traceback" not in result.stderr


def test_the_scratch_build_starts_no_search_indexing(monkeypatch, capsys):
    """The dev settings index in the background, and a large site's indexing read the
    scratch folder while `make check` deleted it: a traceback, the folder left behind."""
    from content_checks.__main__ import main
    from search_index import indexer

    started = []
    monkeypatch.setattr(indexer, "index_site", lambda *args, **kwargs: started.append(args))
    assert main(["-s", str(ROOT / "pelicanconf.py"), "--path", str(ROOT / "content")]) == 0
    assert "Nội dung hợp lệ" in capsys.readouterr().out
    assert started == []
