"""Hỏi đáp: one file per question, the answer as its body; grouped by field, newest first."""

from content_checks import Problem
from vn_text import parse_date

from .collection import CollectionGenerator, field_line
from .jsonld import faq_page, script


class QuestionsGenerator(CollectionGenerator):
    paths_setting = "QUESTION_PATHS"
    url_setting = "QUESTION_URL"
    default_url = "hoi-dap/{slug}/"

    def check(self, items) -> list[Problem]:
        problems = []
        for item in items:
            problems.extend(self.check_agency(item, required=False))
            answered = getattr(item, "answered", None)
            if isinstance(answered, str):
                item.answered = answered = parse_date(answered).replace(tzinfo=item.date.tzinfo)
            has_answer = bool((item._content or "").strip())
            item.is_answered = bool(answered) and has_answer
            if answered and not has_answer:
                problems.append(
                    Problem(
                        item.source_path,
                        field_line(item.source_path, "answered"),
                        "có ngày trả lời (Answered) nhưng chưa có nội dung trả "
                        "lời dưới phần thông tin",
                        "chua-tra-loi",
                    )
                )
            elif has_answer and not answered:
                problems.append(
                    Problem(
                        item.source_path,
                        1,
                        "có nội dung trả lời nhưng thiếu Answered (ngày trả lời)",
                        "thieu-truong",
                    )
                )
            if has_answer and not getattr(item, "agency", None):
                problems.append(
                    Problem(
                        item.source_path,
                        1,
                        "câu trả lời cần Agency (mã cơ quan trả lời trong danh mục đơn vị)",
                        "thieu-truong",
                    )
                )
        return problems

    def prepare(self) -> None:
        # Grouped by field (Jinja's groupby keeps this order within a group): newest first;
        # the file name settles ties, so every build writes the same bytes.
        self.items.sort(key=lambda q: q.source_path)
        self.items.sort(key=lambda q: q.date, reverse=True)
        self.items.sort(key=lambda q: q.field.casefold())
        self.env.filters["faq_jsonld"] = lambda questions: script(faq_page(questions))

    def generate_output(self, writer):
        if not self.items:
            return
        url = self.settings.get("QUESTIONS_URL", "hoi-dap/")
        self.write(
            writer,
            url + "index.html",
            "questions",
            url,
            articles=self.items,
            template_name="questions",
            paginated={"articles": self.items},
        )
        for item in self.items:
            self.write(writer, item.save_as, "question", item.url, question=item, page=item)
