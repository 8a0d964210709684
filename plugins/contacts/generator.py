"""Directory and organisation-chart blocks, contact cards for unit pages, vCard files."""

import os
from datetime import date

from content_checks import problem_log
from fast_build.writer import write_output
from markupsafe import Markup
from pelican.generators import Generator
from unit_tables.blocks import expand_in_content
from unit_tables.generator import all_content
from unit_tables.links import Links
from unit_tables.options import OptionError
from unit_tables.render import fragment_environment

from .blocks import group, language, parse_block, unit_code
from .chart import build_tree
from .jsonld import organization, script_tag
from .labels import LABELS
from .vcard import unit_vcard

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
DIRECTORY_OPTIONS = {"nhom": "nhom", "ngon-ngu": "ngon_ngu"}
CHART_OPTIONS = {"goc": "goc", "ngon-ngu": "ngon_ngu"}


class ContactsGenerator(Generator):
    def generate_context(self):
        data = self.context.get("unit_data")
        self.registry = data.registry if data is not None and not data.problems else None
        self.links = Links.from_settings(self.settings)
        self.fragments = fragment_environment(self.settings, TEMPLATES, "contacts")
        self.vcard_url = self.settings.get("CONTACT_VCARD_URL", "lien-he/{code}.vcf")
        self.site_url = self.settings.get("SITEURL", "")
        problems = problem_log(self.settings)
        for content in all_content(self.context):
            problems.extend(expand_in_content(content, "danh-ba", self.directory))
            problems.extend(expand_in_content(content, "so-do-to-chuc", self.chart))
        self.context["contact_card"] = self.card

    def generate_output(self, writer):
        if self.registry is None:
            return
        for unit in self.registry:
            if unit.contact is None:
                continue
            path = os.path.join(self.output_path, self.vcard_url.format(code=unit.code))
            write_output(writer, path, unit_vcard(unit, self.absolute(self.links.unit(unit.code))))

    # -- rendering
    def absolute(self, href: str) -> str:
        return href if href.startswith("http") else self.settings.get("FEED_DOMAIN", "") + href

    def require_registry(self):
        if self.registry is None:
            raise OptionError(0, "chưa có danh mục đơn vị (content/data/don-vi.yaml)")

    def card(self, unit, level: int = 2, lang: str = "vi") -> Markup:
        parent = self.registry.units.get(unit.parent) if self.registry else None
        url = self.links.unit(unit.code)
        jsonld = organization(unit, self.absolute(url), parent, english=lang == "en")
        return Markup(
            self.fragments.get_template("card.html").render(
                unit=unit,
                level=level,
                lang=lang,
                t=LABELS[lang],
                unit_url=url,
                vcard_url=f"{self.site_url}/{self.vcard_url.format(code=unit.code)}",
                jsonld=script_tag(jsonld),
            )
        )

    def directory(self, text: str, number: int) -> Markup:
        self.require_registry()
        options = parse_block(text, DIRECTORY_OPTIONS)
        lang, chosen = language(options), group(options)
        units = [u for u in self.registry.in_group(chosen) if u.contact is not None]
        if chosen is None:
            units = [u for u in self.registry if u.contact is not None]
        return Markup("\n").join(self.card(u, 2, lang) for u in units)

    def chart(self, text: str, number: int) -> Markup:
        self.require_registry()
        options = parse_block(text, CHART_OPTIONS)
        lang = language(options)
        root = unit_code(options, "goc", self.registry, "ubnd-tinh")
        # Today's organisation: units merged away (valid_until in the past) are left out.
        tree = build_tree(self.registry, root, self.links.unit, lang, on=date.today())
        return Markup(
            self.fragments.get_template("chart.html").render(root=tree, lang=lang, t=LABELS[lang])
        )
