"""Turns data and options into rendered tables and charts; shared by blocks and pages."""

from markupsafe import Markup

from .charts import rate_bars, rate_trend
from .data import UnitData
from .links import Links
from .options import OptionError, TableOptions
from .render import fragment_environment, render_chart, render_table
from .stats import Period
from .views import chosen_formula, history_table, stats_table, status_table

LATEST = "moi-nhat"


class TableBuilder:
    def __init__(self, data: UnitData, settings):
        self.data = data
        self.links = Links.from_settings(settings)
        self.env = fragment_environment(settings)
        self.formula = settings.get("UNIT_STATS_RATE_FORMULA", "opencps")
        self.target = settings.get("UNIT_STATS_TARGET", 0.95)

    # -- what an editor's `du_lieu:` names
    def resolve(self, options: TableOptions):
        folder, _, name = options.source.partition("/")
        name = name.removesuffix(".csv").removesuffix(".yaml")
        if self.data.registry is None:
            raise OptionError(
                options.lines.get("du-lieu", 0),
                "chưa có danh mục đơn vị (content/data/don-vi.yaml)",
            )
        if folder == "thong-ke":
            period = self.data.latest if name == LATEST else self.data.period(name)
            if period:
                return period
            known = ", ".join([LATEST, *(p.ident for p in self.data.periods)])
        elif folder == "trang-thai":
            if name in self.data.status_tables:
                return self.data.status_tables[name]
            known = ", ".join(self.data.status_tables)
        else:
            known = "thong-ke/<kỳ>, thong-ke/moi-nhat, trang-thai/<tên bảng>"
        raise OptionError(
            options.lines.get("du-lieu", 0),
            f"du_lieu: không có số liệu '{options.source}'; có: {known}",
        )

    def table(self, options: TableOptions, ident: str) -> Markup:
        source = self.resolve(options)
        if isinstance(source, Period):
            return self.period_table(source, options, ident)
        view = status_table(
            source,
            self.data.registry,
            options,
            ident=ident,
            unit_url=self.links.unit,
            downloads=self.links.downloads("trang-thai", source.ident),
        )
        return render_table(self.env, view)

    def period_table(self, period: Period, options: TableOptions, ident: str) -> Markup:
        view = stats_table(
            period,
            self.data.registry,
            options,
            ident=ident,
            unit_url=self.links.unit,
            downloads=self.links.downloads("thong-ke", period.ident),
            default_formula=self.formula,
            target=self.target,
        )
        html = render_table(self.env, view)
        if options.chart:
            formula = chosen_formula(options, self.formula)
            rates = {r.unit: r.counts.rate(formula) for r in period.rows}
            items = [(row.header, rates[row.unit]) for row in view.rows]
            svg = rate_bars(
                f"{ident}-bieu-do", f"Tỷ lệ đúng hạn – {view.caption}", items, self.target
            )
            html += render_chart(
                self.env,
                svg,
                "Biểu đồ tỷ lệ đúng hạn theo đơn vị; đường đứt "
                "nét là mục tiêu, số liệu chi tiết ở bảng trên.",
            )
        return html

    def history(self, unit_code: str) -> Markup:
        registry = self.data.registry
        view = history_table(
            unit_code,
            self.data.periods,
            registry,
            ident=f"bang-{unit_code}-cac-ky",
            period_url=self.links.period,
            downloads=self.links.downloads("don-vi", unit_code),
            formula=self.formula,
        )
        if not view.rows:
            return Markup("")
        kind = self.data.latest.kind  # one kind of period per trend line: months, or quarters
        points = [
            (short_period(p), p.row(unit_code).counts.rate(self.formula))
            for p in self.data.periods
            if p.kind == kind and p.row(unit_code)
        ]
        svg = rate_trend(
            f"bieu-do-{unit_code}",
            f"Tỷ lệ đúng hạn của {registry[unit_code].full_name} qua các kỳ",
            points,
            self.target,
        )
        return render_table(self.env, view) + render_chart(
            self.env, svg, "Diễn biến tỷ lệ đúng hạn qua các kỳ; số liệu chi tiết ở bảng trên."
        )


def short_period(period: Period) -> str:
    """Axis labels: '10/2018' for months, 'Q4/2018' for quarters, '2018' for years."""
    end = period.end
    if period.kind == "thang":
        return f"{end.month:02d}/{end.year}"
    if period.kind == "quy":
        return f"Q{(end.month - 1) // 3 + 1}/{end.year}"
    return str(end.year)
