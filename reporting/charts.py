"""The dashboard's charts as SVG, drawn on the server with pygal.

Each function takes the rows `reporting.dashboard` returns and gives the SVG as
bytes, for a web page (served from its own address, see `portal.views`) or a
PDF alike. The charts are readable without colour: one series, each bar
labelled on its axis and its value printed beside it. No JavaScript: pygal's
tooltip script is neither linked nor kept inline. `text_alternative` says in
words what a chart shows, for alt texts and captions.
"""

import xml.etree.ElementTree as ET  # noqa: S405 -- parses only the SVG pygal just made here

import pygal
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

WIDTH = 720
# The widths a chart is drawn at: each page asks for the one it shows it at (`<picture>` sources),
# so that its text stays at least 12 px (720 scaled down to a phone would be 7 px).
WIDTHS = (360, 540, WIDTH)
BAR_HEIGHT = 34
MAX_BARS = 25  # a chart of more cities is unreadable; the table beside it lists them all

STYLE_ARGS = dict(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#198754",),  # Bootstrap's success green, as the navigation bar
    value_colors=("#212529",),
    font_family="Arial, Helvetica, sans-serif",
    # 15 px at 720 wide: 13 px where a dashboard column shows it 640 px wide.
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    title_font_size=17,
    opacity="1",
    opacity_hover="1",
)
STYLE = Style(**STYLE_ARGS)
NARROW_STYLE = Style(
    **{**STYLE_ARGS, "label_font_size": 13, "major_label_font_size": 13, "value_font_size": 13, "title_font_size": 14}
)


def number(value, decimals=1):
    """A figure in the current language's format (Norwegian: 1 234,5)."""
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def tick(value):
    """An axis tick: whole numbers without decimals ("5 000", not "5 000,0")."""
    return number(value, 0 if float(value).is_integer() else 1)


def _bar_chart(labels, values, *, title, description, decimals, width=WIDTH):
    narrow = width < WIDTH
    chart = pygal.HorizontalBar(
        style=NARROW_STYLE if narrow else STYLE,
        title=str(title),
        width=width,
        height=max(160, 90 + BAR_HEIGHT * len(labels)),
        explicit_size=True,
        disable_xml_declaration=True,
        js=[],
        tooltip_fancy_mode=False,
        show_legend=False,
        print_values=True,
        print_values_position="top",
        print_zeroes=True,
        truncate_label=-1,
        margin_right=80 if narrow else 110,  # room for the value printed after the longest bar
        show_minor_x_labels=False,
        value_formatter=tick,
        formatter=lambda v: number(v, decimals),
        no_data_text=_("No data"),
    )
    if width < 400:  # three ticks on the value axis (pygal's y axis), or they run into each other
        chart.y_labels = _few_ticks(values)
    # A horizontal chart draws its first bar at the bottom; the rows read from the top.
    chart.x_labels = [str(label) for label in reversed(labels)]  # str: pygal cannot serialise lazy texts
    chart.add(str(title), list(reversed(values)))
    return _clean(chart.render(is_unicode=True), description)


def _few_ticks(values):
    """0, a round number about half the largest value, and one about the largest."""
    top = max([float(v) for v in values] + [1])
    step = 10 ** max(0, len(str(int(top / 2))) - 1)
    half = max(step, round(top / 2 / step) * step)
    return [0, half, half * 2]


def _clean(svg, description):
    """The SVG without pygal's configuration script, with a description for assistive technology."""
    root = ET.fromstring(svg)  # noqa: S314 -- our own output, not user input
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}script":
                parent.remove(child)
    # The value goes after the end of its bar, not centred over it, so it never sits on the colour.
    style = root.find(f"{{{SVG_NS}}}defs/{{{SVG_NS}}}style")
    if style is not None:
        style.text = (style.text or "") + f"#{root.get('id')} .text-overlay text.value{{text-anchor:start}}"
    root.set("role", "img")
    desc = ET.Element(f"{{{SVG_NS}}}desc")
    desc.text = description
    title = root.find(f"{{{SVG_NS}}}title")
    root.insert(list(root).index(title) + 1 if title is not None else 0, desc)
    # ElementTree's prefixes are global, and WeasyPrint remaps the default one when it
    # writes a PDF; set them right before each use, or the SVG comes out as <ns0:svg>.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode").encode()


def text_alternative(rows, label_key, value_key, decimals=1, unit=""):
    """The chart's figures in words: "Oslo: 1 234,5 t; Bergen: 20,0 t"."""
    suffix = f" {unit}" if unit else ""
    return "; ".join(f"{row[label_key]}: {number(row[value_key] or 0, decimals)}{suffix}" for row in rows) or _(
        "No data"
    )


def other_cities(cities, effect, count):
    """The last row of a chart of the cities with the most effect: the `cities` not drawn on their
    own, their `effect` and number of measures (`count`) summed."""
    label = ngettext("%(count)s other city", "%(count)s other cities", cities) % {"count": number(cities, 0)}
    return {"city": label, "slug": "", "effect": effect, "count": count, "others": cities}


def _largest(rows):
    """At most `MAX_BARS` rows of `reporting.effects.effect_by_city`: the cities with the most
    effect, and the rest summed in one last row (`other_cities`)."""
    if len(rows) <= MAX_BARS:
        return rows
    ordered = sorted(rows, key=lambda row: row["effect"] or 0, reverse=True)
    shown, rest = ordered[: MAX_BARS - 1], ordered[MAX_BARS - 1 :]
    effect = sum(row["effect"] or 0 for row in rest)
    return [*shown, other_cities(len(rest), effect, sum(row.get("count", 0) for row in rest))]


def effect_by_theme_svg(rows, width=WIDTH):
    """Expected effect by theme area, from `reporting.effects.effect_by_theme` rows."""
    return _bar_chart(
        [row["name"] for row in rows],
        [float(row["effect"] or 0) for row in rows],
        title=_("Expected effect by theme area (t CO₂e per year)"),
        description=text_alternative(rows, "name", "effect", unit=_("t CO₂e per year")),
        decimals=1,
        width=width,
    )


def effect_by_city_svg(rows, width=WIDTH):
    """Expected effect by city, from `reporting.effects.effect_by_city` rows (or the bounded
    `effect_by_city_top`); when there are more than `MAX_BARS` cities, the largest and one bar
    for all the others."""
    shown = _largest(rows)
    title = _("Expected effect by city (t CO₂e per year)")
    others = shown[-1].get("others", 0) if shown else 0
    if others:
        title = _("Expected effect: the %(shown)d cities with the most of %(count)d (t CO₂e per year)") % {
            "shown": len(shown) - 1,
            "count": len(shown) - 1 + others,
        }
    return _bar_chart(
        [row["city"] for row in shown],
        [float(row["effect"] or 0) for row in shown],
        title=title,
        description=text_alternative(shown, "city", "effect", unit=_("t CO₂e per year")),
        decimals=1,
        width=width,
    )


def agreements_by_status_svg(rows, width=WIDTH):
    """Number of agreements by status, from `reporting.dashboard.agreements(...)["by_status"]` rows."""
    return _bar_chart(
        [row["label"] for row in rows],
        [row["count"] for row in rows],
        title=_("Agreements by status"),
        description=text_alternative(rows, "label", "count", decimals=0),
        decimals=0,
        width=width,
    )
