"""Blocks joined where they are shown (fast_build/codegen.py): the same markup as Jinja's
own compiled code, whatever a template does with its blocks."""

import pytest
from fast_build.codegen import JoiningCodeGenerator, install_code_generator
from jinja2 import DictLoader, Environment
from jinja2.compiler import CodeGenerator

TEMPLATES = {
    "base.html": (
        "<title>{% block title %}Cổng{% endblock %}</title>\n"
        "{% block body %}<main>{% block content %}{% endblock %}</main>"
        "{% block aside scoped %}{% for i in range(2) %}[{{ i }}]{% endfor %}{% endblock %}"
        "{% endblock %}\n{% include 'footer.html' %}"
    ),
    "footer.html": "<footer>{{ site }}{% block note %}ghi chú{% endblock %}</footer>",
    "middle.html": (
        "{% extends 'base.html' %}{% block title %}{{ super() }} – {{ title }}{% endblock %}"
    ),
    "page.html": (
        "{% extends 'middle.html' %}{% from 'macros.html' import box %}"
        "{% set shown = 'đã đặt' %}"
        "{% block content %}{{ box(title) }}{% for item in items %}<li>{{ item }}</li>"
        "{% endfor %}{% filter upper %}{% block loud %}to tiếng{% endblock %}{% endfilter %}"
        "{{ shown }}{% endblock %}"
    ),
    "macros.html": (
        "{% macro box(text) %}<div>{{ text }}{% block inner %}{% endblock %}"
        "{% if caller %}{{ caller() }}{% endif %}</div>{% endmacro %}"
    ),
    "maybe.html": (
        "{% if wide %}{% extends 'base.html' %}{% else %}{% extends 'middle.html' %}{% endif %}"
        "{% block content %}rộng: {{ wide }}{% endblock %}"
    ),
    "alone.html": "{% block only %}{% block inside %}trong{% endblock %} ngoài{% endblock %}",
    "called.html": (
        "{% from 'macros.html' import box %}{% call box('hộp') %}"
        "{% block in_call %}gọi{% endblock %}{% endcall %}"
    ),
}
VALUES = {"title": "Tin mới", "items": ["một", "hai"], "site": "Quảng Ninh"}


def environment(generator):
    env = Environment(loader=DictLoader(TEMPLATES), trim_blocks=True, lstrip_blocks=True)
    env.code_generator_class = generator
    return env


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("wide", [True, False])
def test_a_template_renders_as_jinjas_own_code_renders_it(name, wide):
    ours = environment(JoiningCodeGenerator).get_template(name).render(VALUES, wide=wide)
    jinjas = environment(CodeGenerator).get_template(name).render(VALUES, wide=wide)
    assert ours == jinjas


def test_shown_blocks_are_joined_and_others_left_as_jinja_writes_them():
    env = environment(JoiningCodeGenerator)
    page = env.compile(env.loader.get_source(env, "page.html")[0], "page.html", raw=True)
    base = env.compile(env.loader.get_source(env, "base.html")[0], "base.html", raw=True)
    assert "yield concat(parent_template.root_render_func(context))" in page
    assert "yield concat(context.blocks['content'][0](context))" in base
    assert "yield from context.blocks" not in base + page
    assert "for event in gen:" in page  # the block inside a filter: Jinja's own lines


def test_it_is_installed_over_jinjas_generator_and_another_generator_is_kept():
    env = Environment()
    install_code_generator(env)
    assert env.code_generator_class is JoiningCodeGenerator

    class Other(CodeGenerator):
        pass

    env.code_generator_class = Other
    install_code_generator(env)
    assert env.code_generator_class is Other
