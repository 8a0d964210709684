"""Parts of a page that are the same on most pages, rendered once a build for each set
of what they show.

The footer's contact details and visitor figures are the same on every page of a
language; rendered for each page, they made an article page take 140-145 µs to render
instead of 119 (warm, one process, without traces). A theme writes such a part
as a macro of a template imported without the page's context, so that it shows only what
it is given (and the environment's globals), and calls it through `remember`, naming the
template and the macro: `{{ remember("partials/chrome.html", "footer_contact", english,
SITEURL, PORTAL) }}`. The first call with given arguments renders the part; later calls
give the same markup.

Arguments are told apart by value when they are strings, numbers or None, and otherwise
by identity (a dict of settings, the unit data): a build's objects do not change while its
pages render, and each argument a part was rendered with is held with it, so no other
object can take its address. What the part read (names, content objects: traces.py) is
added to the trace of every page that shows it, so a page's record is the same whether
the part was rendered for it or remembered. A part given a content object (a listing's
item) is also kept for the next build (kept_parts.py).
"""

from pelican.contents import Content

from .kept_parts import current
from .traces import replay, traced_apart, tracing

_BY_VALUE = (str, int, float, bool, type(None))
_KEPT = object()  # a part kept_parts holds


def remembering(environment):
    """`remember(template, macro, *arguments)` for one Jinja environment (one build's).
    The macro is looked up once: a template that imported its module would make Jinja
    find the module again at every page (10 µs). A function, which the digests of a
    page's names describe by its name (fingerprints.py), not by what it remembers."""
    macros: dict[tuple, object] = {}
    known: dict[tuple, tuple] = {}

    def remember(template: str, name: str, *args):
        # a by-value argument as its type then its value, another as its id: a type is
        # never an id, so the flat tuple tells them apart (a pair each was 56 bytes more
        # an item, for each of 20000 articles' items in each renderer)
        key = (template, name)
        for a in args:
            key += (type(a), a) if type(a) in _BY_VALUE else (id(a),)
        found = known.get(key)
        kept = current() if tracing() else None
        if found is not None:
            if type(found) is bytes or found[2] is _KEPT:  # kept_parts holds its markup
                saved = found if type(found) is bytes else found[1]
                markup = kept.find(saved, environment, template, args) if kept else None
                if markup is not None:
                    return markup
            elif found[2] is not None or not tracing():
                replay(found[2])
                return found[1]
        saved = kept.key(template, name, args) if kept is not None else None
        if saved is not None:
            markup = kept.find(saved, environment, template, args)
            if markup is not None:
                known[key] = _kept_entry(args, saved)
                return markup
        macro = macros.get((template, name))
        if macro is None:
            module = environment.get_template(template).module  # without a context
            macro = macros[(template, name)] = getattr(module, name)
        markup, part = traced_apart(macro, *args)
        if saved is not None and kept.keep(saved, environment, template, args, markup, part):
            known[key] = _kept_entry(args, saved)  # its markup in a file, not in memory
        else:
            known[key] = (args, markup, part)  # the arguments held: their ids stay theirs
        return markup

    remember.traces_itself = True  # traces.install: what the macro reads is noted instead
    remember.known = known
    return remember


def _kept_entry(args: tuple, saved: bytes):
    """A part kept_parts holds, found by its key alone when no argument counts by its
    id but a content object (content objects live as long as the build)."""
    if all(type(a) in _BY_VALUE or isinstance(a, Content) for a in args):
        return saved
    return (args, saved, _KEPT)


def install_remember(environment) -> None:
    environment.globals["remember"] = remembering(environment)
