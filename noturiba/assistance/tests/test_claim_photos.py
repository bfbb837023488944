"""Photos of claim updates: only real JPEG/PNG/WebP within 5 MB, shrunk to 1600 px and
re-encoded without metadata; served only to those who may see the claim's history."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from noturiba.accounts.models import User
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, ClaimPhoto, ClaimUpdate
from noturiba.assistance.photos import MAX_BYTES, MAX_SIDE, prepare_photo, prepare_photos
from noturiba.assistance.tests.claims_support import make_line
from noturiba.conftest import client_for
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    out = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "Telefons"  # camera make
        exif[GPS_IFD] = {1: "N", 2: (56.0, 49.0, 0.0)}
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "mode"), [("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB")])
def test_each_accepted_format_becomes_a_jpeg(fmt: str, mode: str) -> None:
    photo = prepare_photo(image_bytes(fmt, mode=mode), name=f"a.{fmt.lower()}")

    with Image.open(io.BytesIO(photo.content)) as result:
        assert result.format == "JPEG"
        assert (photo.width, photo.height) == result.size == (40, 30)


def test_metadata_and_position_are_dropped() -> None:
    original = image_bytes("JPEG")
    with Image.open(io.BytesIO(original)) as source:
        assert source.getexif().get(0x010F) == "Telefons"

    photo = prepare_photo(original, name="gps.jpg")

    with Image.open(io.BytesIO(photo.content)) as result:
        assert dict(result.getexif()) == {}
    assert b"Telefons" not in photo.content


def test_a_large_photo_is_shrunk_to_the_longest_side() -> None:
    photo = prepare_photo(image_bytes("PNG", size=(3200, 1000)), name="wide.png")

    assert (photo.width, photo.height) == (MAX_SIDE, 500)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "data",
    [b"not an image at all", b"GIF89a" + b"\0" * 40, image_bytes("JPEG")[:200]],
    ids=["text", "gif-header", "truncated"],
)
def test_a_file_that_is_not_a_photo_is_refused_by_name(data: bytes) -> None:
    with pytest.raises(ValidationError, match=r"holiday\.jpg is not a JPEG, PNG or WebP photo"):
        prepare_photo(data, name="holiday.jpg")


@pytest.mark.usefixtures("english")
def test_a_gif_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="anim.gif"):
        prepare_photo(out.getvalue(), name="anim.gif")


@pytest.mark.usefixtures("english")
def test_too_large_and_too_many_are_refused() -> None:
    big = SimpleUploadedFile("big.jpg", b"x" * (MAX_BYTES + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="big.jpg is larger than 5 MB"):
        prepare_photos([big])
    many = [SimpleUploadedFile(f"{n}.png", image_bytes("PNG")) for n in range(5)]
    with pytest.raises(ValidationError, match="at most 4 photos"):
        prepare_photos(many)


def _claim(admin: User, organisation: Organisation, officer: User) -> Claim:
    line = make_line(created_by=officer)
    offer = actions.offer_line_part(
        admin, line=line, organisation=organisation, quantity=Decimal(2)
    )
    return Claim.objects.get(offer=offer)


@pytest.mark.usefixtures("english")
def test_one_bad_file_saves_nothing_of_the_update(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    claim = _claim(admin_a, org_a, officer)
    good = SimpleUploadedFile("good.png", image_bytes("PNG"), content_type="image/png")
    bad = SimpleUploadedFile("bad.jpg", b"nope", content_type="image/jpeg")

    response = client_for(member_a).post(
        f"/requests/claims/{claim.pk}/update/",
        {"state": "under_way", "note": "Foto", "photos": [good, bad], "photo_description": "x"},
    )

    assert response.status_code == 422
    assert "bad.jpg is not a JPEG, PNG or WebP photo" in response.content.decode()
    assert ClaimUpdate.objects.filter(claim=claim).count() == 1  # only the claim itself
    assert not ClaimPhoto.objects.exists()
    assert Claim.objects.get(pk=claim.pk).state == "claimed"


def test_photos_are_stored_with_their_description_and_served_privately(
    admin_a: User, member_a: User, org_a: Organisation, officer: User, admin_b: User
) -> None:
    claim = _claim(admin_a, org_a, officer)
    photos = [
        SimpleUploadedFile(f"{n}.jpg", image_bytes("JPEG"), content_type="image/jpeg")
        for n in range(2)
    ]

    response = client_for(member_a).post(
        f"/requests/claims/{claim.pk}/update/",
        {"state": "done", "photos": photos, "photo_description": "Ūdens kannas pie skolas"},
    )

    assert response.status_code == 302
    stored = list(ClaimPhoto.objects.all())
    assert [p.description for p in stored] == ["Ūdens kannas pie skolas"] * 2
    page = client_for(member_a).get(f"/requests/claims/{claim.pk}/").content.decode()
    assert 'alt="Ūdens kannas pie skolas"' in page
    url = f"/requests/claims/photos/{stored[0].pk}/"
    for viewer in (member_a, admin_a, officer):
        served = client_for(viewer).get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/jpeg"
        assert served["Cache-Control"].startswith("private")
        assert served.content == bytes(stored[0].content)
    # Another organisation sees the request (offered to the network) but not the history.
    assert client_for(admin_b).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in
