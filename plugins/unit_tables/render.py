"""HTML fragments for tables and charts, rendered with autoescaping on.

Pelican's own template environment does not escape, and unit names are data: a name
containing <script> must show as text. These fragments are therefore rendered here and
handed to page templates as Markup.
"""

import os

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .views import TableView

PLUGIN_TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


def fragment_environment(settings) -> Environment:
    """The theme may override any fragment in templates/unit_tables/."""
    theme = os.path.join(settings["THEME"], "templates", "unit_tables")
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(theme), FileSystemLoader(PLUGIN_TEMPLATES)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_table(env: Environment, view: TableView) -> Markup:
    return Markup(env.get_template("table.html").render(t=view))


def render_chart(env: Environment, svg: Markup, caption: str) -> Markup:
    return Markup(env.get_template("chart.html").render(svg=svg, caption=caption))
