"""The certificate as a PDF: one A4 page in Latvian and English, drawn with fpdf2.

Everything on it comes from the certificate's snapshot (what was true when it was issued), plus
the verification code and a QR code of the public verification address
(``settings.PUBLIC_URL`` + ``/verify/<code>``). The text is embedded in DejaVu Sans (the PDF
standard fonts lack Latvian letters); the QR code is a PNG made by ``qrcode``.

The page is bilingual by design (Latvian first, English second), whatever the interface
language: its wording is fixed here, not translated.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import io
import logging
import os
import warnings
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fontTools import subset as ftsubset
from fontTools import ttLib
from fpdf import FPDF
from qrcode.constants import ERROR_CORRECT_M

from noturiba.training.models import Certificate

logger = logging.getLogger(__name__)

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
INK = (33, 37, 41)
MUTED = (90, 98, 106)
ACCENT = (22, 72, 120)
REVOKED = (155, 28, 28)


def verification_url(code: str) -> str:
    """The absolute address of the public verification page of ``code``."""
    return settings.PUBLIC_URL.rstrip("/") + reverse("training:verify_code", args=[code])


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y.") if day else ""


def _hours(value: Decimal | str) -> str:
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return text.replace(".", ",")


def qr_png(text: str) -> bytes:
    """A QR code of ``text`` as a PNG (quiet zone included, black on white)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


# The characters certificates are drawn with: Latin with every European diacritic (Latvian
# included), Greek, Cyrillic, punctuation and the euro sign. DejaVu Sans cut down to them
# (once per process, into the data directory) loads three times faster than the whole font;
# a text with any other character is drawn with the whole font (BENCHMARKS.md).
SUBSET_UNICODES = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x370, 0x530), *range(0x2000, 0x2070)]
    + [0x20AC, 0x2116]
)


@functools.cache
def _subset_fonts() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold cut down to ``SUBSET_UNICODES``; None if that fails (the
    whole fonts are used)."""
    directory = Path(settings.DATA_DIR) / "cache" / "fonts"
    paths = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            source = FONTS / name
            digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
            target = directory / f"{source.stem}-certificate-{digest}.ttf"
            if not target.exists():
                _write_subset(source, target)
            paths.append(target)
    except (OSError, ValueError, KeyError) as error:  # a damaged cache or font: use the whole
        logger.warning("Certificate fonts not subset (%s): the whole fonts are used", error)
        return None
    return paths[0], paths[1]


def _write_subset(source: Path, target: Path) -> None:
    font = ttLib.TTFont(source)
    options = ftsubset.Options()
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.name_IDs = ["*"]
    options.glyph_names = True
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=sorted(SUBSET_UNICODES))
    with warnings.catch_warnings(), _quiet_font_tools():
        warnings.simplefilter("ignore")
        subsetter.subset(font)
    # Written beside and renamed: a process reading it never sees half a file.
    partial = target.with_suffix(f".{os.getpid()}.part")
    font.save(partial)
    os.replace(partial, target)


@contextlib.contextmanager
def _quiet_font_tools() -> Iterator[None]:
    """fontTools logs every table it drops (e.g. FFTM); nothing to act on."""
    log = logging.getLogger("fontTools.subset")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _font_files(texts: Iterable[str]) -> tuple[Path, Path]:
    """The regular and bold font files to draw ``texts`` with."""
    subset = _subset_fonts()
    if subset is not None and all(ord(char) in SUBSET_UNICODES for text in texts for char in text):
        return subset
    return FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"


class _Page(FPDF):
    """An A4 page whose type and spacing are ``scale`` times the normal (a course with many
    modules is drawn smaller so that it still fits above the verification block)."""

    def __init__(self, scale: float, fonts: tuple[Path, Path]) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.scale = scale
        self.add_font(FONT, "", str(fonts[0]))
        self.add_font(FONT, "B", str(fonts[1]))
        self.set_auto_page_break(auto=False)
        self.set_margins(20, 18, 20)
        self.c_margin = 1.5

    def font(self, size: float, *, bold: bool = False, color: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, "B" if bold else "", size * self.scale)
        self.set_text_color(*color)

    def space(self, height: float) -> None:
        self.ln(height * self.scale)

    def text_lines(self, height: float, text: str, *, width: float = 0, align: str = "L") -> None:
        """Wrapped text in lines of ``height`` mm (scaled), then the next line."""
        self.multi_cell(
            width, height * self.scale, text, align=align, new_x="LMARGIN", new_y="NEXT"
        )

    def pair(self, latvian: str, english: str, *, size: float = 11, bold: bool = False) -> None:
        """A Latvian line and its English line under it, centred."""
        self.font(size, bold=bold)
        self.text_lines(size * 0.45, latvian, align="C")
        self.font(size * 0.8, color=MUTED)
        self.text_lines(size * 0.4, english, align="C")

    def field(self, label_lv: str, label_en: str, value: str) -> None:
        """A labelled line: "Label / Label: value"."""
        self.font(9, color=MUTED)
        self.cell(62, 6 * self.scale, f"{label_lv} / {label_en}:", new_x="RIGHT", new_y="TOP")
        self.font(10, bold=True)
        self.text_lines(6, value)


QR_SIZE = 42.0
# The verification block (code, address, QR code) sits at the foot of the page, from here down.
VERIFICATION_TOP = 297 - 20 - QR_SIZE - 8
SCALES = (1.0, 0.85, 0.72, 0.6)


def render_certificate(certificate: Certificate) -> bytes:
    """The PDF bytes of ``certificate``: one A4 page."""
    fonts = _font_files(_texts(certificate))
    for scale in SCALES:
        pdf = _Page(scale, fonts)
        if _draw_body(pdf, certificate) <= VERIFICATION_TOP - 2 or scale == SCALES[-1]:
            break
    _draw_verification(pdf, certificate.code)
    return bytes(pdf.output())


def _texts(certificate: Certificate) -> list[str]:
    """Every text of the snapshot the page shows."""
    texts = [
        certificate.holder_name,
        certificate.course_name_lv,
        certificate.course_name_en,
        certificate.trainer_names,
        certificate.issuer_name,
    ]
    for module in certificate.modules or []:
        texts += [str(module.get("name_lv", "")), str(module.get("name_en", ""))]
    return texts


def _draw_body(pdf: _Page, certificate: Certificate) -> float:
    """Everything above the verification block; returns where it ended (mm from the top)."""
    pdf.set_title(f"Sertifikāts / Certificate {certificate.code}")
    pdf.set_author(certificate.issuer_name)
    pdf.set_creator("Noturība")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    if certificate.revoked_at is not None:
        # A revoked certificate downloaded again says so on its face, not only online.
        revoked_on = _date(
            timezone.localtime(certificate.revoked_at, ZoneInfo(settings.TIME_ZONE)).date()
        )
        pdf.set_xy(pdf.l_margin, 13)
        pdf.font(11, bold=True, color=REVOKED)
        pdf.text_lines(6, f"ATSAUKTS / REVOKED {revoked_on}", align="C")
    pdf.set_y(22)
    pdf.font(26, bold=True, color=ACCENT)
    pdf.text_lines(12, "SERTIFIKĀTS", align="C")
    pdf.font(14, color=ACCENT)
    pdf.text_lines(7, "CERTIFICATE", align="C")
    pdf.space(7)
    pdf.pair("Apliecina, ka", "This is to certify that")
    pdf.space(3)
    pdf.font(22, bold=True)
    pdf.text_lines(10, certificate.holder_name, align="C")
    pdf.space(3)
    pdf.pair("ir sekmīgi apguvis(-usi) mācību kursu", "has successfully completed the course")
    pdf.space(3)
    pdf.pair(certificate.course_name_lv, certificate.course_name_en, size=15, bold=True)
    pdf.space(6)

    # The modules with their hours, and the course's total
    modules = certificate.modules or []
    total = sum((Decimal(str(module.get("hours", "0"))) for module in modules), Decimal(0))
    hours_width = 30
    pdf.font(9, bold=True)
    pdf.set_fill_color(232, 239, 246)
    pdf.cell(width - hours_width, 7 * pdf.scale, "Moduļi / Modules", border="B", fill=True)
    pdf.cell(
        hours_width,
        7 * pdf.scale,
        "Stundas / Hours",
        border="B",
        fill=True,
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for module in modules:
        top = pdf.get_y() + 0.8 * pdf.scale
        pdf.set_y(top)
        pdf.font(9.5)
        pdf.text_lines(4.6, str(module.get("name_lv", "")), width=width - hours_width)
        pdf.font(8, color=MUTED)
        pdf.text_lines(4.2, str(module.get("name_en", "")), width=width - hours_width)
        bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + width - hours_width, top)
        pdf.font(9.5)
        pdf.cell(hours_width, 4.6 * pdf.scale, _hours(module.get("hours", "0")), align="R")
        pdf.set_y(bottom)
    pdf.font(9.5, bold=True)
    pdf.cell(width - hours_width, 7 * pdf.scale, "Kopā / Total", border="T")
    pdf.cell(
        hours_width,
        7 * pdf.scale,
        _hours(total),
        border="T",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.space(4)

    pdf.field("Apmeklētās stundas", "Hours attended", _hours(certificate.hours))
    pdf.field("Pabeigts", "Completed on", _date(certificate.completed_on))
    pdf.field(
        "Derīgs līdz",
        "Valid until",
        _date(certificate.valid_until) if certificate.valid_until else "beztermiņa / no expiry",
    )
    if certificate.trainer_names:
        pdf.field("Pasniedzējs(-i)", "Trainer(s)", certificate.trainer_names)
    pdf.field("Izsniedza", "Issued by", certificate.issuer_name)
    return pdf.get_y()


def _draw_verification(pdf: _Page, code: str) -> None:
    """The verification code in large type, the address and its QR code, at the page's foot."""
    pdf.scale = 1.0
    url = verification_url(code)
    top = VERIFICATION_TOP
    pdf.image(io.BytesIO(qr_png(url)), x=pdf.w - pdf.r_margin - QR_SIZE, y=top, w=QR_SIZE)
    text_width = pdf.w - pdf.l_margin - pdf.r_margin - QR_SIZE - 6
    pdf.set_xy(pdf.l_margin, top + 4)
    pdf.font(9, color=MUTED)
    pdf.text_lines(5, "Verifikācijas kods / Verification code", width=text_width)
    pdf.font(20, bold=True)
    pdf.cell(text_width, 11, code, new_x="LMARGIN", new_y="NEXT")
    pdf.font(8.5, color=MUTED)
    pdf.text_lines(
        4.5,
        "Pārbaudiet sertifikāta derīgumu / Check that the certificate is valid:",
        width=text_width,
    )
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(text_width, 4.5, url, link=url, new_x="LMARGIN", new_y="NEXT")
