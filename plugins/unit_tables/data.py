"""Loading every unit data file of a site at once, collecting all problems."""

import glob
import os
from dataclasses import dataclass, field

from content_checks import Problem

from .registry import Registry, load_registry
from .stats import Period, load_period
from .status import StatusTable, load_status_table

DEFAULT_PATHS = {
    "registry": "data/don-vi.yaml",
    "statistics": "data/thong-ke",
    "status": "data/trang-thai",
}


@dataclass
class UnitData:
    registry: Registry | None = None
    periods: list[Period] = field(default_factory=list)  # oldest first
    status_tables: dict[str, StatusTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def latest(self) -> Period | None:
        return self.periods[-1] if self.periods else None

    def period(self, ident: str) -> Period | None:
        return next((p for p in self.periods if p.ident == ident), None)


def data_paths(settings) -> dict[str, str]:
    paths = {**DEFAULT_PATHS, **settings.get("UNIT_DATA_PATHS", {})}
    return {name: os.path.join(settings["PATH"], path) for name, path in paths.items()}


def load_unit_data(settings) -> UnitData:
    """Nothing to load (no registry file) is fine: a site may have no unit data at all."""
    paths = data_paths(settings)
    data = UnitData()
    if not os.path.exists(paths["registry"]):
        return data
    data.registry, problems = load_registry(paths["registry"])
    data.problems.extend(problems)
    for path in sorted(glob.glob(os.path.join(paths["statistics"], "*.csv"))):
        period, problems = load_period(path, data.registry)
        data.problems.extend(problems)
        if period:
            data.periods.append(period)
    data.periods.sort(key=lambda p: (p.end, p.start))
    for path in sorted(glob.glob(os.path.join(paths["status"], "*.yaml"))):
        table, problems = load_status_table(path, data.registry)
        data.problems.extend(problems)
        if table:
            data.status_tables[table.ident] = table
    data.problems.extend(_overlapping_periods(data.periods))
    return data


def _overlapping_periods(periods: list[Period]) -> list[Problem]:
    """Two files of the same kind covering the same days would double-count."""
    problems = []
    for kind in {p.kind for p in periods}:
        same = [p for p in periods if p.kind == kind]
        for before, after in zip(same, same[1:], strict=False):
            if after.start <= before.end:
                problems.append(
                    Problem(
                        after.path,
                        1,
                        f"kỳ {after.name} trùng thời gian với "
                        f"kỳ {before.name} ({os.path.basename(before.path)})",
                        "ky-trung",
                    )
                )
    return problems
