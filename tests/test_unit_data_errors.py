"""Bad unit data stops the build with file, row, column and rule; all problems at once."""

import pytest
from content_checks import ContentError
from unit_data import HEADER, REGISTRY, ROWS, STATUS, block, data_site, page, period


def problems_of(make_site, files) -> list[str]:
    with pytest.raises(ContentError) as caught:
        make_site(files)
    return [str(p) for p in caught.value.problems]


def stats_problems(make_site, rows=ROWS, **period_args) -> list[str]:
    files = data_site()
    files["data/thong-ke/2018-10.csv"] = period(rows=rows, **period_args)
    return problems_of(make_site, files)


# The header block has 5 '#' lines, the column names are on line 6: row n is line 6 + n.
@pytest.mark.parametrize(
    ("row", "words", "rule"),
    [
        ("ha-long,10,20,30,20,10,5,15,5,6", "tổng tiếp nhận 60", "can-doi"),
        ("ha-long,10,20,-30,20,10,5,15,5,5", "cột truc_tiep: '-30' là số âm", "so-sai"),
        (
            "ha-long,10,20,30.5,20,10,5,15,5,5",
            "cột truc_tiep: '30.5' không phải số nguyên",
            "so-sai",
        ),
        ("hai-phong,0,0,0,0,0,0,0,0,0", "không có đơn vị mã 'hai-phong'", "don-vi-la"),
        ("ha-long,0,0,0,0,0,0,0,0", "có 9 ô, dòng tên cột có 10", "so-o"),
    ],
)
def test_bad_rows(make_site, row, words, rule):
    [problem] = stats_problems(make_site, rows=[ROWS[0], row])
    assert "2018-10.csv:8:" in problem and words in problem and problem.endswith(f"[{rule}]")


def test_duplicated_unit_names_the_first_row(make_site):
    [problem] = stats_problems(make_site, rows=[*ROWS, ROWS[1]])
    assert "2018-10.csv:10:" in problem and "đã có ở dòng 8" in problem
    assert problem.endswith("[don-vi-trung]")


def test_given_totals_must_match_their_parts(make_site):
    header = HEADER + ",tong_tiep_nhan"
    rows = ["ha-long,10,20,30,20,10,5,15,5,5,61"]
    [problem] = stats_problems(make_site, rows=rows, header=header)
    assert "cột tong_tiep_nhan: ghi 61 nhưng cộng các cột thành phần được 60" in problem
    assert problem.endswith("[tong-sai]")


def test_missing_and_unknown_columns(make_site):
    header = HEADER.replace(",tra_lai", ",tra_lai_rut")
    problems = stats_problems(make_site, rows=[], header=header)
    assert any(":6: thiếu cột 'tra_lai'" in p and p.endswith("[thieu-cot]") for p in problems)
    assert any(":6: cột 'tra-lai-rut' không có trong mẫu" in p for p in problems)


def test_period_ending_before_it_starts(make_site):
    [problem] = stats_problems(make_site, start="2018-10-20", end="2018-09-21")
    assert "2018-10.csv:4: den_ngay sớm hơn tu_ngay" in problem and problem.endswith("[ky-nguoc]")


def test_period_needs_its_dates_and_kind(make_site):
    files = data_site()
    files["data/thong-ke/2018-10.csv"] = "# ky: Tháng 10\n# loai_ky: tuần\n" + HEADER + "\n"
    problems = problems_of(make_site, files)
    assert any("thiếu dòng '# tu_ngay: ...'" in p for p in problems)
    assert any("thiếu dòng '# den_ngay: ...'" in p for p in problems)
    assert any(":2: loai_ky 'tuần' không hợp lệ" in p for p in problems)


def test_unit_outside_its_validity(make_site):
    files = data_site()
    files["data/thong-ke/2020-02.csv"] = period(
        "Tháng 2/2020", "2020-01-21", "2020-02-20", rows=["hoanh-bo,0,0,0,0,0,0,0,0,0"]
    )
    [problem] = problems_of(make_site, files)
    assert "2020-02.csv:7:" in problem and "không còn hiệu lực" in problem


def test_overlapping_periods_of_one_kind(make_site):
    files = data_site()
    files["data/thong-ke/2018-10b.csv"] = period("Tháng 10 (bản 2)", "2018-10-01", "2018-10-31")
    [problem] = problems_of(make_site, files)
    assert "trùng thời gian" in problem and problem.endswith("[ky-trung]")


@pytest.mark.parametrize(
    ("change", "line", "words", "rule"),
    [
        (
            ("tinh_trang: da,", "tinh_trang: xong,"),
            14,
            "'xong' không thuộc các giá trị",
            "gia-tri-sai",
        ),
        (("bien_che: 1234,", "bien_che: nhiều,"), 14, "cột bien-che:", "gia-tri-sai"),
        (('ty_le: "12,65%",', "ty_le: cao,"), 14, "không phải tỷ lệ phần trăm", "gia-tri-sai"),
        (("ngay: 2018-03-29,", "ngay: 2018-02-30,"), 14, "không phải ngày hợp lệ", "gia-tri-sai"),
        (("don_vi: hoanh-bo,", "don_vi: ha-long,"), 16, "đã có ở dòng 14", "don-vi-trung"),
        (
            ("don_vi: hoanh-bo,", "don_vi: cam-pha,"),
            16,
            "không có đơn vị mã 'cam-pha'",
            "don-vi-la",
        ),
        ((",\n     ghi_chu: Xong}", "}"), 14, "thiếu cột 'ghi-chu'", "thieu-cot"),
        (("kieu: văn bản", "kieu: hình"), 11, "kieu 'hình' không hợp lệ", "kieu-cot"),
    ],
)
def test_bad_status_tables(make_site, change, line, words, rule):
    files = data_site(status=STATUS.replace(*change))
    problems = problems_of(make_site, files)
    assert any(
        f"hop-nhat.yaml:{line}:" in p and words in p and p.endswith(f"[{rule}]") for p in problems
    ), problems


@pytest.mark.parametrize(
    ("change", "words", "rule"),
    [
        (("loai: thành phố", "loai: quận"), "loai 'quận' không hợp lệ", "loai-don-vi"),
        (
            ("thuoc: ubnd-tinh}\n  - {ma: ha-long", "thuoc: bo-noi-vu}\n  - {ma: ha-long"),
            "thuoc: không có đơn vị mã 'bo-noi-vu'",
            "don-vi-la",
        ),
        (("ma: so-a", "ma: ha-long"), "mã đơn vị 'ha-long' trùng với dòng 3", "don-vi-trung"),
        (
            ("den_ngay: 2019-12-31", "den_ngay: 2017-12-31, tu_ngay: 2018-01-01"),
            "den_ngay sớm hơn tu_ngay",
            "ngay-sai",
        ),
    ],
)
def test_bad_registry(make_site, change, words, rule):
    files = data_site(registry=REGISTRY.replace(*change))
    problems = problems_of(make_site, files)
    assert any("don-vi.yaml:" in p and words in p and p.endswith(f"[{rule}]") for p in problems), (
        problems
    )


def test_all_problems_of_all_files_at_once(make_site):
    files = data_site(
        rows=["ha-long,10,20,30,20,10,5,15,5,6", "xa-c,0,0,0,0,0,0,0,0,0"],
        status=STATUS.replace("tinh_trang: da,", "tinh_trang: xong,"),
    )
    files["tin-tuc/a.md"] = "Title: Thiếu trường\nDate: 2018-11-08\n\nNội dung\n"
    problems = problems_of(make_site, files)
    files_named = {p.split(":")[0].rsplit("/", 1)[-1] for p in problems}
    assert files_named == {"2018-10.csv", "hop-nhat.yaml", "a.md"}


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (block(du_lieu="thong-ke/2017-01"), 7, "không có số liệu 'thong-ke/2017-01'"),
        (block(du_lieu="thong-ke/2018-10", sap_xep="mau-sac"), 8, "không có cột 'mau-sac'"),
        (block(du_lieu="thong-ke/2018-10", nhom="cap-tinh"), 8, "nhom 'cap-tinh' không có"),
        (block(du_lieu="thong-ke/2018-10", kieu="to"), 8, "tùy chọn 'kieu' không có"),
        (block(du_lieu="thong-ke/2018-10", cot="tien"), 8, "không có nhóm cột 'tien'"),
        (block(du_lieu="trang-thai/hop-nhat", cot="mau"), 8, "bảng không có cột 'mau'"),
        (block(nhom="cap-huyen"), 6, "thiếu 'du_lieu: ...'"),
    ],
)
def test_bad_table_blocks_point_at_the_markdown_line(make_site, body, line, words):
    problems = problems_of(make_site, data_site(body=body))
    assert len(problems) == 1, problems
    assert f"so-lieu.md:{line}:" in problems[0] and words in problems[0]
    assert problems[0].endswith("[bang-don-vi]")


def test_page_with_table_but_no_registry(make_site):
    problems = problems_of(make_site, {"trang/so-lieu.md": page(block(du_lieu="thong-ke/x"))})
    assert "chưa có danh mục đơn vị" in problems[0]


def test_a_page_cannot_take_a_generated_address(make_site):
    files = data_site()
    files["trang/tinh-hinh.md"] = "Title: Tình hình xử lý\nSlug: tinh-hinh-xu-ly\n\nChữ.\n"
    [problem] = problems_of(make_site, files)
    assert "tinh-hinh.md:1:" in problem and "dành cho trang số liệu tự động" in problem


def test_data_files_saved_in_another_encoding_name_their_line(make_site):
    """Excel on Windows saves CSV in cp1258: said with the file and line, no traceback."""
    files = data_site()
    first, rest = period(rows=ROWS).split("\n", 1)  # "# ky: Tháng 10/2018"
    files["data/thong-ke/2018-10.csv"] = first.encode("cp1258") + b"\n" + rest.encode()
    files["data/trang-thai/hop-nhat.yaml"] = STATUS.encode() + "# Đà\n".encode("cp1258")
    problems = problems_of(make_site, files)
    encoding = [p for p in problems if p.endswith("[bang-ma]")]
    assert len(encoding) == 2, problems
    assert any("2018-10.csv:1: tệp không lưu bằng bảng mã UTF-8" in p for p in encoding)
    line = STATUS.count("\n") + 1
    assert any(f"hop-nhat.yaml:{line}: tệp không lưu bằng bảng mã UTF-8" in p for p in encoding)
