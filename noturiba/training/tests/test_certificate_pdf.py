"""The certificate PDF: its text (read back with pypdf) and its QR code (decoded with zxing-cpp)."""

from __future__ import annotations

import io
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from noturiba.accounts.models import User
from noturiba.training.actions.certificates import close_results, revoke_certificate
from noturiba.training.certificate_pdf import render_certificate, verification_url
from noturiba.training.models import Certificate
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(coordinator: User, trainer: User, settings: Any) -> Certificate:
    settings.PUBLIC_URL = "https://noturiba.example.lv/"
    session = make_session(make_course(), trainers=(trainer,))
    enrol(session, make_person("Jānis Bērziņš"), hours="9.5", score=75)
    [issued] = close_results(coordinator, session=session)
    return issued


def test_the_text_shows_the_name_with_latvian_letters_and_the_code(
    certificate: Certificate,
) -> None:
    reader = PdfReader(io.BytesIO(render_certificate(certificate)))

    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Jānis Bērziņš" in text
    assert certificate.code in text
    assert "Civilā aizsardzība kopienā" in text
    assert "Civil protection in the community" in text
    assert "Laura Trenere" in text
    assert "9,5" in text  # hours attended
    assert "10" in text  # the course's total hours


def test_the_page_is_a4(certificate: Certificate) -> None:
    page = PdfReader(io.BytesIO(render_certificate(certificate))).pages[0]

    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # 210 × 297 mm in points


def test_the_qr_code_decodes_to_the_verification_address(certificate: Certificate) -> None:
    page = PdfReader(io.BytesIO(render_certificate(certificate))).pages[0]

    [picture] = page.images
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(picture.data)))

    assert [barcode.text for barcode in decoded] == [
        f"https://noturiba.example.lv/verify/{certificate.code}"
    ]
    assert verification_url(certificate.code) == decoded[0].text


def test_a_name_beyond_the_cut_down_font_is_drawn_with_the_whole_font(
    certificate: Certificate,
) -> None:
    certificate.holder_name = "Արամ Պետրոսյան"  # Armenian: not in the subset, in DejaVu Sans

    text = PdfReader(io.BytesIO(render_certificate(certificate))).pages[0].extract_text()

    assert "Արամ Պետրոսյան" in text


def test_cyrillic_and_other_european_letters(certificate: Certificate) -> None:
    certificate.holder_name = "Олена Шевченко-Łukasiewicz Ōtsuka"
    certificate.trainer_names = "Žemaitė Gražulytė"

    text = PdfReader(io.BytesIO(render_certificate(certificate))).pages[0].extract_text()

    assert "Олена Шевченко-Łukasiewicz Ōtsuka" in text
    assert "Žemaitė Gražulytė" in text


def test_a_course_of_many_modules_still_fits_one_page(certificate: Certificate) -> None:
    certificate.modules = [
        {
            "code": f"m{number}",
            "name_lv": f"Modulis {number}: krīzes komunikācija ar jutīgām iedzīvotāju grupām",
            "name_en": f"Module {number}: crisis communication with sensitive groups",
            "hours": "2.5",
        }
        for number in range(16)
    ]

    reader = PdfReader(io.BytesIO(render_certificate(certificate)))

    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Modulis 15" in text
    assert certificate.code in text
    assert "40" in text  # 16 × 2.5 hours


def test_a_revoked_certificate_says_so_on_its_face(
    certificate: Certificate, coordinator: User
) -> None:
    revoke_certificate(coordinator, certificate=certificate, reason="Wrong person")
    certificate.refresh_from_db()

    text = PdfReader(io.BytesIO(render_certificate(certificate))).pages[0].extract_text()

    assert "ATSAUKTS / REVOKED" in text
    assert "Wrong person" not in text


def test_a_valid_certificate_has_no_revocation_mark(certificate: Certificate) -> None:
    text = PdfReader(io.BytesIO(render_certificate(certificate))).pages[0].extract_text()

    assert "REVOKED" not in text
