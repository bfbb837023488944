"""CSV with an HXL hashtag row, read back with the libhxl library."""

from __future__ import annotations

import io

import hxl
import pytest
from django.contrib.auth.models import AnonymousUser

from noturiba.accounts.models import User
from noturiba.network.exports import export_organisations
from noturiba.network.models import Organisation
from noturiba.network.selectors import DirectoryFilters
from noturiba.network.tests.export_helpers import export_text

pytestmark = pytest.mark.usefixtures("reference", "english")


def dataset(text: str) -> hxl.model.Dataset:
    return hxl.data(io.BytesIO(text.encode("utf-8")), hxl.InputOptions(allow_local=True)).cache()


def test_libhxl_reads_the_hashtags_and_values(
    coordinator: User, org_a: Organisation, org_b: Organisation
) -> None:
    export = export_organisations(coordinator, DirectoryFilters(), "hxl")
    assert export.filename.endswith("-hxl.csv")
    data = dataset("".join(export.content))
    tags = [column.display_tag for column in data.columns]
    for tag in (
        "#org+name",
        "#org+code",
        "#org+type",
        "#adm1+code",
        "#adm1+name",
        "#sector+list",
        "#contact+email",
        "#contact+phone",
        "#contact+url",
        "#geo+lat",
        "#geo+lon",
        "#capacity+first_aid",
    ):
        assert tag in tags
    rows = {row.get("#org+code"): row for row in data}
    ogre = rows["40008000001"]
    assert ogre.get("#org+name") == "Ogres Samariešu biedrība"
    assert ogre.get("#adm1+code") == "LV-067" and ogre.get("#adm1+name") == "Ogres novads"
    assert ogre.get("#sector", parsed=True) == ["first_aid"]
    assert ogre.get("#sector+cluster", parsed=True) == ["health"]
    assert ogre.get("#contact+email") == "info@ogre-samariesi.example"
    assert (ogre.get("#geo+lat"), ogre.get("#geo+lon")) == ("56.8162", "24.614")
    assert ogre.get("#capacity+first_aid") == "12"
    assert rows["40008000002"].get("#sector") == "transport"


def test_the_hxl_export_has_no_byte_order_mark_so_the_first_heading_stays_clean(
    coordinator: User, org_a: Organisation
) -> None:
    data = dataset(export_text(coordinator, "hxl"))
    assert data.columns[0].header == "name"


def test_the_public_hxl_export_holds_only_public_organisations_without_details(
    org_a: Organisation, org_b: Organisation
) -> None:
    text = export_text(AnonymousUser(), "hxl")
    [row] = list(dataset(text))
    assert row.get("#org+name") == "Ogres Samariešu biedrība"
    assert not row.get("#org+code") and not row.get("#contact+email") and not row.get("#geo+lat")
    assert "Liepāj" not in text and "info@ogre-samariesi.example" not in text
