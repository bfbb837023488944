"""The situation report as a PDF: A4 pages drawn with fpdf2, in the active language.

The same sections as the page (``assistance/follow/sitrep.html``), from the same
:class:`~noturiba.assistance.selectors.follow.Sitrep`: the parameters and the generation time,
the headline figures, units per capability, coverage per request, what is still missing and the
organisations engaged, each a table with a heading row repeated on every page. Every page's foot
says "page N of M" and when the report was generated. The text is embedded in DejaVu Sans
(``noturiba/training/fonts``; the PDF standard fonts lack Latvian letters).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from noturiba.assistance.models import AssistanceRequest
from noturiba.assistance.selectors.follow import Sitrep, riga
from noturiba.network.models import Unit
from noturiba.training.certificate_pdf import FONTS

FONT = "DejaVu"
INK = (33, 37, 41)
MUTED = (90, 98, 106)
ACCENT = (22, 72, 120)
HEADING_FILL = (232, 239, 246)


def number(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    return str(formats.number_format(value, use_l10n=True, force_grouping=True))


def unit(code: str) -> str:
    return str(Unit(code).label) if code in Unit.values else code


def generated_text(sitrep: Sitrep) -> str:
    moment = timezone.localtime(sitrep.generated_at, riga())
    return _("%(moment)s (Riga time)") % {
        "moment": formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    }


def period_text(sitrep: Sitrep) -> str:
    return _("%(start)s – %(end)s") % {
        "start": formats.date_format(sitrep.params.date_from, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(sitrep.params.date_to, "SHORT_DATE_FORMAT"),
    }


def area_text(sitrep: Sitrep, *, limit: int = 12) -> str:
    if sitrep.params.municipality is not None:
        return sitrep.params.municipality.name
    names = [municipality.name for municipality in sitrep.area]
    if len(names) > limit:
        return _("all municipalities I may see (%(count)s)") % {"count": len(names)}
    return ", ".join(names) or _("none")


class _Report(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, f"{self.footer_text} · {page}", align="C")

    def heading(self, text: str) -> None:
        if self.will_page_break(20):
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 12)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def note(self, text: str) -> None:
        self.set_font(FONT, "", 9)
        self.set_text_color(*MUTED)
        self.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        numeric: Sequence[int] = (),
    ) -> None:
        self.set_font(FONT, "", 8.5)
        self.set_draw_color(190, 196, 204)
        with self.table(
            col_widths=tuple(widths),
            width=self.epw,
            line_height=4.6,
            padding=1,
            text_align="LEFT",
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
            repeat_headings=1,
        ) as table:
            table.row(list(headings))
            for values in rows:
                row = table.row()
                for index, value in enumerate(values):
                    row.cell(value, align="RIGHT" if index in numeric else "LEFT")
        self.ln(1)


def render_sitrep(sitrep: Sitrep) -> bytes:
    """The PDF bytes of ``sitrep``."""
    generated = generated_text(sitrep)
    pdf = _Report(footer_text=_("Generated %(moment)s") % {"moment": generated})
    title = _("Situation report")
    pdf.set_title(f"{title} {period_text(sitrep)}")
    pdf.set_creator("Noturība")
    pdf.add_page()

    pdf.set_font(FONT, "B", 18)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 9, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "", 10)
    for label, value in (
        (_("Period"), period_text(sitrep)),
        (_("Area"), area_text(sitrep)),
        (_("Generated"), generated),
    ):
        pdf.multi_cell(0, 5.5, f"{label}: {value}", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.note(
        _(
            "Requests of the area that were open at some time during the period. Covered means "
            "every line is fully claimed; overdue means open, past its deadline and not covered."
        )
    )

    headline = sitrep.headline
    pdf.heading(_("Headline figures"))
    pdf.grid(
        [_("Figure"), _("Number")],
        [
            [_("Requests posted in the period"), number(headline.posted)],
            [_("Requests open now"), number(headline.open)],
            [_("Requests covered"), number(headline.covered)],
            [_("Requests overdue"), number(headline.overdue)],
        ],
        [140, 40],
        numeric=[1],
    )

    pdf.heading(_("Units per capability"))
    if sitrep.totals:
        pdf.grid(
            [_("Capability"), _("Unit"), _("Requested"), _("Claimed"), _("Done"), _("Missing")],
            [
                [
                    row.capability,
                    unit(row.unit),
                    number(row.requested),
                    number(row.claimed),
                    number(row.done),
                    number(row.remaining),
                ]
                for row in sitrep.totals
            ],
            [56, 28, 24, 24, 24, 24],
            numeric=[2, 3, 4, 5],
        )
    else:
        pdf.note(_("No request in this period and area."))

    pdf.heading(_("Coverage per request"))
    if sitrep.requests:
        rows = []
        for request in sitrep.requests:
            lines = "\n".join(
                _("%(capability)s: %(claimed)s of %(quantity)s %(unit)s")
                % {
                    "capability": line.capability.name,
                    "claimed": number(line.claimed),
                    "quantity": number(line.quantity),
                    "unit": unit(line.unit),
                }
                for line in request.lines.all()
            )
            rows.append(
                [
                    f"{request.title} (#{request.pk})",
                    request.municipality.name,
                    str(request.get_urgency_display()),
                    formats.date_format(
                        timezone.localtime(request.deadline, riga()), "SHORT_DATETIME_FORMAT"
                    ),
                    _state(request),
                    lines,
                ]
            )
        pdf.grid(
            [_("Request"), _("Municipality"), _("Urgency"), _("Answer by"), _("State"), _("Lines")],
            rows,
            [40, 24, 25, 22, 21, 48],
        )
        if sitrep.requests_total > len(sitrep.requests):
            pdf.note(_shown(len(sitrep.requests), sitrep.requests_total))
    else:
        pdf.note(_("No request in this period and area."))

    pdf.heading(_("What is still missing"))
    if sitrep.missing:
        pdf.grid(
            [_("Request"), _("Capability"), _("Missing"), _("Unit"), _("Urgency"), _("Answer by")],
            [
                [
                    f"{item.request.title} (#{item.request.pk}), {item.request.municipality.name}",
                    item.line.capability.name,
                    number(item.remaining),
                    unit(item.line.unit),
                    str(item.request.get_urgency_display()),
                    formats.date_format(
                        timezone.localtime(item.request.deadline, riga()), "SHORT_DATETIME_FORMAT"
                    ),
                ]
                for item in sitrep.missing
            ],
            [50, 34, 16, 24, 26, 30],
            numeric=[2],
        )
        if sitrep.missing_total > len(sitrep.missing):
            pdf.note(_shown(len(sitrep.missing), sitrep.missing_total))
    else:
        pdf.note(_("Nothing is missing: every open request is covered."))

    pdf.heading(_("Organisations engaged"))
    if sitrep.engaged:
        pdf.grid(
            [
                _("Organisation"),
                _("Capability"),
                _("Unit"),
                _("Claims"),
                _("Claimed"),
                _("Under way"),
                _("Done"),
                _("Could not"),
            ],
            [
                [
                    row.organisation,
                    row.capability,
                    unit(row.unit),
                    number(row.claims),
                    number(row.claimed),
                    number(row.under_way),
                    number(row.done),
                    number(row.could_not),
                ]
                for row in sitrep.engaged
            ],
            [38, 30, 22, 15, 18, 20, 16, 21],
            numeric=[3, 4, 5, 6, 7],
        )
    else:
        pdf.note(_("No organisation has claimed a part of these requests."))
    return bytes(pdf.output())


def _state(request: AssistanceRequest) -> str:
    state = str(request.get_state_display())
    if getattr(request, "uncovered", True) is False:
        return _("%(state)s, covered") % {"state": state}
    if request.is_overdue():
        return _("%(state)s, overdue") % {"state": state}
    return state


def _shown(shown: int, total: int) -> str:
    return _("The first %(shown)s of %(total)s are shown.") % {
        "shown": number(shown),
        "total": number(total),
    }
