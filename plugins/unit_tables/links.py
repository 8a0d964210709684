"""Where the unit pages and open-data files live, from the settings."""

from dataclasses import dataclass

DEFAULTS = {
    "UNIT_STATS_URL": "tinh-hinh-xu-ly/",
    "UNIT_STATS_PERIOD_URL": "tinh-hinh-xu-ly/{period}/",
    "UNITS_URL": "don-vi/",
    "UNIT_URL": "don-vi/{code}/",
    "OPEN_DATA_URL": "du-lieu/",
}


@dataclass
class Links:
    siteurl: str
    urls: dict

    @classmethod
    def from_settings(cls, settings) -> "Links":
        return cls(
            settings.get("SITEURL", ""), {k: settings.get(k, v) for k, v in DEFAULTS.items()}
        )

    def path(self, name: str, **values) -> str:
        """Relative to the site root: where the file goes (with index.html for pages)."""
        return self.urls[name].format(**values)

    def href(self, name: str, **values) -> str:
        return f"{self.siteurl}/{self.path(name, **values)}"

    def unit(self, code: str) -> str:
        return self.href("UNIT_URL", code=code)

    def period(self, period) -> str:
        return self.href("UNIT_STATS_PERIOD_URL", period=period.ident)

    def data_base(self, *parts: str) -> str:
        return self.path("OPEN_DATA_URL") + "/".join(parts)

    def downloads(self, *parts: str) -> list[tuple[str, str]]:
        base = f"{self.siteurl}/{self.data_base(*parts)}"
        return [("CSV", base + ".csv"), ("JSON", base + ".json")]
