"""The few words contact blocks need, in Vietnamese and English."""

LABELS = {
    "vi": {
        "address": "Địa chỉ",
        "phone": "Điện thoại",
        "fax": "Fax",
        "email": "Thư điện tử",
        "website": "Trang web",
        "hours": "Giờ làm việc",
        "officials": "Cán bộ đầu mối",
        "name": "Họ tên",
        "position": "Chức vụ",
        "vcard": "Tải danh thiếp (vCard)",
        "sample": "thông tin mẫu",
        "chart": "Sơ đồ tổ chức",
    },
    "en": {
        "address": "Address",
        "phone": "Phone",
        "fax": "Fax",
        "email": "Email",
        "website": "Website",
        "hours": "Working hours",
        "officials": "Contact officials",
        "name": "Name",
        "position": "Position",
        "vcard": "Download contact card (vCard)",
        "sample": "sample data",
        "chart": "Organisation chart",
    },
}
