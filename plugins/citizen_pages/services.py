"""Dịch vụ công: one file per procedure; grouped by agency and field, with a filter box."""

from collections import defaultdict

from content_checks import Problem
from vn_text import slugify

from .collection import CollectionGenerator, field_line
from .jsonld import government_service, script


class ServicesGenerator(CollectionGenerator):
    paths_setting = "SERVICE_PATHS"
    url_setting = "SERVICE_URL"
    default_url = "dich-vu-cong/{slug}/"

    @classmethod
    def placed(cls, item, settings) -> None:
        if "slug" not in item.metadata:
            item.slug = slugify(item.code)  # the procedure's code: short and stable
        super().placed(item, settings)

    def check(self, items) -> list[Problem]:
        problems = []
        by_code = defaultdict(list)
        for item in sorted(items, key=lambda i: i.source_path):  # the same message every run
            problems.extend(self.check_agency(item, required=True))
            by_code[item.code].append(item.source_path)
        for code, paths in by_code.items():
            for path in paths[1:]:
                problems.append(
                    Problem(
                        path,
                        field_line(path, "code"),
                        f"mã thủ tục '{code}' trùng với {paths[0]}",
                        "ma-trung",
                    )
                )
        return problems

    def prepare(self) -> None:
        order = (
            {code: unit.order for code, unit in self.registry.units.items()}
            if self.registry
            else {}
        )
        self.items.sort(  # the file name settles ties: every build writes the same bytes
            key=lambda s: (
                order.get(s.agency, 0),
                s.field.casefold(),
                s.title.casefold(),
                s.source_path,
            )
        )
        unit_href = (
            self.context.get("SITEURL", "") + "/" + self.settings.get("UNIT_URL", "don-vi/{code}/")
        )
        self.env.filters["service_jsonld"] = lambda s: script(
            government_service(s, unit_href.format(code=s.agency))
        )

    def groups(self):
        """[(agency unit, [(field, [services])])] in registry order."""
        grouped = []
        for item in self.items:
            if not grouped or grouped[-1][0] is not item.agency_unit:
                grouped.append((item.agency_unit, []))
            fields = grouped[-1][1]
            if not fields or fields[-1][0] != item.field:
                fields.append((item.field, []))
            fields[-1][1].append(item)
        return grouped

    def generate_output(self, writer):
        if not self.items:
            return
        url = self.settings.get("SERVICES_URL", "dich-vu-cong/")
        self.write(
            writer,
            url + "index.html",
            "services",
            url,
            services=self.items,
            service_groups=self.groups(),
        )
        for item in self.items:
            self.write(writer, item.save_as, "service", item.url, service=item, page=item)
