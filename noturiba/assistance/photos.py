"""Photo intake for claim updates: check, shrink and re-encode before anything is stored.

A photo is accepted when Pillow opens and verifies it as JPEG, PNG or WebP, within
:data:`MAX_BYTES`; it is turned upright (EXIF orientation), scaled down to at most
:data:`MAX_SIDE` pixels on its longer side and re-encoded as JPEG — which drops every piece of
metadata (EXIF, GPS position, camera). A file that fails is named in the error, and nothing of
the update is saved (the caller prepares every photo before calling the action).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 4
MAX_SIDE = 1600
FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
# Pillow's guard against decompression bombs, kept well below its default for phone photos.
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 82


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class PreparedPhoto:
    content: bytes
    width: int
    height: int
    description: str = ""
    content_type: str = "image/jpeg"


def prepare_photo(data: bytes, *, name: str, description: str = "") -> PreparedPhoto:
    """Check and re-encode one photo; ValidationError naming ``name`` when it is not one."""
    refused = ValidationError(
        _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}, code="invalid_photo"
    )
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(size)d MB.") % {"name": name, "size": MAX_BYTES // 2**20},
            code="photo_too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise refused
            if probe.width * probe.height > MAX_PIXELS:
                raise refused
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            if upright.mode not in ("RGB", "L"):
                background = Image.new("RGB", upright.size, "white")
                rgba = upright.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                upright = background
            elif upright.mode == "L":
                upright = upright.convert("RGB")
            upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            upright.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            width, height = upright.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise refused from None
    return PreparedPhoto(
        content=out.getvalue(), width=width, height=height, description=description.strip()
    )


def prepare_photos(
    uploads: Sequence[Upload], descriptions: Sequence[str] = ()
) -> list[PreparedPhoto]:
    """Every upload prepared, or a ValidationError listing each file that failed."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            _("Attach at most %(count)d photos to one update.") % {"count": MAX_PHOTOS},
            code="too_many_photos",
        )
    prepared: list[PreparedPhoto] = []
    errors: list[ValidationError] = []
    for index, upload in enumerate(uploads):
        name = upload.name or _("photo %(number)d") % {"number": index + 1}
        if upload.size is not None and upload.size > MAX_BYTES:
            errors.append(
                ValidationError(
                    _("%(name)s is larger than %(size)d MB.")
                    % {"name": name, "size": MAX_BYTES // 2**20},
                    code="photo_too_large",
                )
            )
            continue
        description = descriptions[index] if index < len(descriptions) else ""
        try:
            prepared.append(
                prepare_photo(upload.read(MAX_BYTES + 1), name=name, description=description)
            )
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return prepared
