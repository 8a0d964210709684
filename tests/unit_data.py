"""Small, purpose-made unit data for the unit-table tests."""

REGISTRY = """\
don_vi:
  - {ma: ubnd-tinh, ten: UBND tỉnh, loai: tỉnh}
  - {ma: so-a, ten: Sở A, loai: sở/ngành, thuoc: ubnd-tinh}
  - {ma: ha-long, ten: Hạ Long, loai: thành phố, thuoc: ubnd-tinh}
  - {ma: hoanh-bo, ten: Hoành Bồ, loai: huyện, thuoc: ubnd-tinh, den_ngay: 2019-12-31,
     sap_nhap_vao: ha-long}
  - {ma: xa-b, ten: Xã B, loai: xã, thuoc: hoanh-bo}
"""

HEADER = (
    "ma_don_vi,ton_ky_truoc,truc_tuyen,truc_tiep,truoc_han,dung_han,qua_han,trong_han,"
    "dang_qua_han,tra_lai"
)


def period(
    name="Tháng 10/2018",
    start="2018-09-21",
    end="2018-10-20",
    rows=(),
    kind="thang",
    sample="có",
    header=HEADER,
):
    meta = f"# ky: {name}\n# loai_ky: {kind}\n# tu_ngay: {start}\n# den_ngay: {end}\n"
    meta += f"# so_lieu_mau: {sample}\n" if sample else ""
    return meta + header + "\n" + "\n".join(rows) + "\n"


# Balanced rows: received = resolved + in progress + returned.
ROWS = [
    "so-a,0,6000,4000,5000,4881,119,0,0,0",  # 10.000 received, rate 98,81%
    "ha-long,10,20,30,20,10,5,15,5,5",  # 60 received, rate 30/35
    "hoanh-bo,0,0,0,0,0,0,0,0,0",  # nothing: rate "—"
]

STATUS = """\
tieu_de: Tình hình hợp nhất
ngay_so_lieu: 2018-11-08
cot:
  - ma: tinh_trang
    ten: Tình trạng
    kieu: trạng thái
    gia_tri: {da: Đã hợp nhất, chua: Chưa hợp nhất}
  - {ma: bien_che, ten: Biên chế, kieu: số nguyên}
  - {ma: ty_le, ten: Tỷ lệ giảm, kieu: phần trăm}
  - {ma: ngay, ten: Ngày, kieu: ngày}
  - {ma: ghi_chu, ten: Ghi chú, kieu: văn bản}
tom_tat: {cot: tinh_trang, gia_tri: da, nhan: đơn vị đã hợp nhất}
dong:
  - {don_vi: ha-long, tinh_trang: da, bien_che: 1234, ty_le: "12,65%", ngay: 2018-03-29,
     ghi_chu: Xong}
  - {don_vi: hoanh-bo, tinh_trang: chua, bien_che: "", ty_le: "", ngay: "", ghi_chu: ""}
"""


def block(**options) -> str:
    lines = "\n".join(f"{k.replace('_', '-')}: {v}" for k, v in options.items())
    return f"```bang-don-vi\n{lines}\n```\n"


def page(body: str, title: str = "Trang số liệu") -> str:
    return f"Title: {title}\nSlug: so-lieu\n\nMở đầu.\n\n{body}\nKết thúc.\n"


def data_site(rows=ROWS, registry=REGISTRY, status=STATUS, body=None, **extra):
    files = {
        "data/don-vi.yaml": registry,
        "data/thong-ke/2018-10.csv": period(rows=rows),
        "data/trang-thai/hop-nhat.yaml": status,
        "trang/so-lieu.md": page(body or block(du_lieu="thong-ke/2018-10")),
    }
    files.update(extra)
    return files
