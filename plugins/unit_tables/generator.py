"""The unit pages: "Tình hình xử lý" by period, one page per unit, and the open data."""

import os

from content_checks import Problem, problem_log
from pelican.generators import Generator

from .blocks import expand_in_content
from .builder import TableBuilder
from .data import UnitData, load_unit_data
from .opendata import (
    history_records,
    period_document,
    status_records,
    write_dataset,
)
from .options import TableOptions, parse_options
from .registry import GROUPS

CONTENT_KEYS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")


def all_content(context):
    seen = set()
    for name in CONTENT_KEYS:
        for item in context.get(name) or []:
            for content in (item, *getattr(item, "translations", [])):
                if id(content) not in seen:
                    seen.add(id(content))
                    yield content


class UnitTablesGenerator(Generator):
    def generate_context(self):
        self.data: UnitData = load_unit_data(self.settings)
        self.builder = TableBuilder(self.data, self.settings)
        problems = problem_log(self.settings)
        problems.extend(self.data.problems)
        if not self.data.problems:
            reserved = self.page_paths()
            for content in all_content(self.context):
                problems.extend(expand_in_content(content, "bang-don-vi", self.render_block))
                if content.save_as in reserved:
                    problems.append(
                        Problem(
                            content.source_path,
                            1,
                            f"địa chỉ /{content.url} dành cho trang số liệu tự động; đổi Slug",
                            "trung-dia-chi",
                        )
                    )
        self.context["unit_data"] = self.data

    def render_block(self, text: str, number: int):
        return self.builder.table(parse_options(text), f"bang-{number}")

    def page_paths(self) -> set[str]:
        """Every page this generator writes, as save_as paths."""
        if self.data.registry is None:
            return set()
        links = self.builder.links
        paths = [links.path("UNITS_URL")]
        paths += [links.path("UNIT_URL", code=u.code) for u in self.data.registry]
        if self.data.periods:
            paths.append(links.path("UNIT_STATS_URL"))
            paths += [
                links.path("UNIT_STATS_PERIOD_URL", period=p.ident) for p in self.data.periods
            ]
        return {os.path.join(path, "index.html") for path in paths}

    def generate_output(self, writer):
        if self.data.registry is None or self.data.problems:
            return
        links = self.builder.links
        for period in self.data.periods:
            self._write_period(
                writer, period, links.path("UNIT_STATS_PERIOD_URL", period=period.ident)
            )
        if self.data.latest:
            self._write_period(writer, self.data.latest, links.path("UNIT_STATS_URL"), section=True)
        self._write(writer, links.path("UNITS_URL"), "units", units_by_group=self.units_by_group())
        for unit in self.data.registry:
            self._write(
                writer,
                links.path("UNIT_URL", code=unit.code),
                "unit",
                unit=unit,
                parent=self.data.registry.units.get(unit.parent),
                merged_into=self.data.registry.units.get(unit.merged_into),
                children=self.data.registry.children(unit.code),
                history=self.builder.history(unit.code),
            )
        self._write_open_data(writer)

    def units_by_group(self):
        registry = self.data.registry
        grouped = [(label, registry.in_group(key)) for key, (label, _) in GROUPS.items()]
        return [(label, units) for label, units in grouped if units]

    def _write_period(self, writer, period, path, section=False):
        groups = self.settings.get("UNIT_STATS_GROUPS", ["so-nganh", "cap-huyen"])
        tables = []
        for group in groups:
            if not any(self.data.registry[r.unit].group == group for r in period.rows):
                continue
            options = TableOptions(source=f"thong-ke/{period.ident}", group=group, chart=True)
            tables.append(
                (GROUPS[group][0], self.builder.period_table(period, options, f"bang-{group}"))
            )
        self._write(
            writer,
            path,
            "unit_stats",
            period=period,
            tables=tables,
            is_section=section,
            periods=list(reversed(self.data.periods)),
            period_href=self.builder.links.period,
            downloads=self.builder.links.downloads("thong-ke", period.ident),
        )

    def _write(self, writer, path, template, **values):
        links = self.builder.links
        writer.write_file(
            os.path.join(path, "index.html"),
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=path,
            unit_href=links.unit,
            units_href=links.href("UNITS_URL"),
            stats_href=links.href("UNIT_STATS_URL"),
            **values,
        )

    def _write_open_data(self, writer):
        registry, formula = self.data.registry, self.builder.formula
        links = self.builder.links
        for period in self.data.periods:
            document = period_document(period, registry, formula)
            write_dataset(
                writer, links.data_base("thong-ke", period.ident), document, document["dong"]
            )
        for table in self.data.status_tables.values():
            records = status_records(table, registry)
            write_dataset(
                writer,
                links.data_base("trang-thai", table.ident),
                {"tieu_de": table.title, "so_lieu_mau": table.sample, "dong": records},
                records,
            )
        for unit in registry:
            records = history_records(unit.code, self.data.periods, formula)
            if records:
                write_dataset(
                    writer,
                    links.data_base("don-vi", unit.code),
                    {
                        "ma_don_vi": unit.code,
                        "ten_don_vi": unit.full_name,
                        "cong_thuc_ty_le": formula,
                        "cac_ky": records,
                    },
                    records,
                )
