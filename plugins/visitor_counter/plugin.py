"""Signal wiring for visitor_counter."""

from pelican import signals

from .snapshot import fetch_figures, page_path


def add_snapshot(generator):
    """Once per build: every generator shares this context."""
    context = generator.context
    if "visitor_counts" in context:
        return
    settings = generator.settings.get("VISITOR_COUNTER") or {}
    source = settings.get("snapshot_url") or settings.get("endpoint", "")
    context["visitor_counts"] = (
        fetch_figures(source, settings.get("timeout", 1.0)) if source else None
    )


def add_filter(generator):
    generator.env.filters["page_path"] = page_path


def register():
    signals.generator_init.connect(add_snapshot)
    signals.generator_init.connect(add_filter)
