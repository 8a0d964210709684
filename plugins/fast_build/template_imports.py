"""Jinja's `{% from "x.html" import y %}` without a set difference on a ChainMap.

At each import, Jinja asks whether the importing page has globals the imported template
lacks (`ctx.globals_keys - self.globals.keys()`): a template's globals are a ChainMap,
whose keys view is subtracted in Python, key by key, 3,5 µs an import. Three imports a
page made that 0,3 CPU-seconds of a first build at 20000 articles. Here the same question
is asked of a set made from the ChainMap (0,6 µs); only when the answer is yes does
Jinja's own code run, and it makes the same module it would have made.
"""

from jinja2 import Template


class ImportingTemplate(Template):
    def _get_default_module(self, ctx=None):
        if ctx is not None and ctx.globals_keys.issubset(self.globals):
            ctx = None  # no global of the page's is missing here: Jinja's cached module
        return super()._get_default_module(ctx)


def install_template_class(environment) -> None:
    """Before the environment loads any template (generator_init)."""
    if environment.template_class is Template:
        environment.template_class = ImportingTemplate
