"""HTML fragments for tables and charts, rendered with autoescaping on.

Pelican's own template environment does not escape, and unit names are data: a name
containing <script> must show as text. These fragments are therefore rendered here and
handed to page templates as Markup.
"""

import os

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from vn_text.formatting import JINJA_FILTERS

from .views import TableView

PLUGIN_TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


def fragment_environment(settings, templates=PLUGIN_TEMPLATES, folder="unit_tables"):
    """Autoescaping templates; the theme may override any of them in templates/<folder>/."""
    theme = os.path.join(settings["THEME"], "templates", folder)
    environment = Environment(
        loader=ChoiceLoader([FileSystemLoader(theme), FileSystemLoader(templates)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(JINJA_FILTERS)
    return environment


def render_table(env: Environment, view: TableView) -> Markup:
    return Markup(env.get_template("table.html").render(t=view))


def render_chart(env: Environment, svg: Markup, caption: str) -> Markup:
    return Markup(env.get_template("chart.html").render(svg=svg, caption=caption))
