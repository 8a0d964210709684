"""The organisation chart as a tree of units, grouped the way the portal groups them."""

from dataclasses import dataclass, field

from unit_tables.registry import GROUPS

GROUP_LABELS_EN = {
    "so-nganh": "Departments and agencies",
    "cap-huyen": "Cities, towns and districts",
    "cap-xa": "Wards, communes and townships",
}


@dataclass
class Node:
    unit: object
    url: str
    groups: list = field(default_factory=list)  # [(label, [Node])]


def build_tree(registry, root_code: str, unit_url, lang: str = "vi", on=None) -> Node:
    """Children under their group label; units no longer valid on `on` are left out."""

    def current(unit) -> bool:
        return on is None or unit.valid_during(on, on)

    def node(unit, depth: int) -> Node:
        result = Node(unit, unit_url(unit.code))
        if depth > 8:  # a loop in the registry must not hang the build
            return result
        children = [c for c in registry.children(unit.code) if current(c)]
        for group, (label, kinds) in GROUPS.items():
            members = [node(c, depth + 1) for c in children if c.kind in kinds]
            if members:
                result.groups.append((GROUP_LABELS_EN[group] if lang == "en" else label, members))
        return result

    return node(registry[root_code], 0)
