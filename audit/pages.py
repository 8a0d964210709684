"""The portal's page types and a sample of each in the sample content: one list for the
tests (frame, accessibility, budgets) and for `make audit`."""

PAGE_TYPES = {
    "home": "index.html",
    "news": "tin-tuc/index.html",
    "category": "chuyen-muc/chi-dao-dieu-hanh/index.html",
    "tag": "the/907-qd-tu/index.html",
    "month": "luu-tru/2018/11/index.html",
    "archives": "luu-tru/index.html",
    "article": "tin-tuc/2018/ban-thuong-vu-tinh-uy-nghe-bao-cao-ket-qua-hop-nhat-co-quan-"
    "to-chuc-noi-vu-cap-huyen/index.html",
    "page": "hop-nhat-to-chuc-noi-vu/index.html",
    "unit-stats": "tinh-hinh-xu-ly/index.html",
    "unit": "don-vi/ha-long/index.html",
    "unit-status": "hop-nhat-to-chuc-noi-vu/index.html",
    "contacts": "lien-he/index.html",
    "intro": "gioi-thieu/index.html",
    "questions": "hoi-dap/index.html",
    "question": "hoi-dap/co-quan-to-chuc-noi-vu-sau-hop-nhat-dung-con-dau-nao/index.html",
    "services": "dich-vu-cong/index.html",
    "service": "dich-vu-cong/2-000720/index.html",
    "english": "en/index.html",
    "english-contact": "en/contact/index.html",
    "search": "tim-kiem/index.html",
    "404": "404.html",
}

# What `make audit` runs Lighthouse on: the page types readers meet most, by their names.
AUDITED = {
    "Trang chủ": "home",
    "Chuyên mục": "category",
    "Bài viết": "article",
    "Tình hình xử lý": "unit-stats",
    "Trang đơn vị": "unit",
    "Hỏi đáp": "questions",
    "Dịch vụ công": "services",
    "Tìm kiếm": "search",
    "404": "404",
}
