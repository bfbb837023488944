"""QR codes as inline SVG (no image files, no JavaScript)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str) -> SafeString:
    """An ``<svg>`` element showing ``data`` as a QR code, dark on a white background."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=10,
        border=4,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    # The markup is qrcode's own path drawing; ``data`` is encoded in it, never copied as text.
    return mark_safe(image.to_string(encoding="unicode"))
