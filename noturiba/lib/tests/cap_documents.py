"""Small hand-written CAP documents shared by the CAP tests."""

from __future__ import annotations

CAP_1_1 = b"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1">
  <identifier>id-1</identifier><sender>lv@example.org</sender>
  <sent>2026-11-26T10:00:00+02:00</sent><status>Actual</status>
  <msgType>Alert</msgType><scope>Public</scope>
</alert>"""


def minimal(body: str = "", *, head: str = "") -> bytes:
    """A CAP 1.2 alert of the required elements; `head` goes before <scope>, `body` after."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
        f"<identifier>id-1</identifier><sender>lv@example.org</sender>"
        f"<sent>2026-11-26T10:00:00+02:00</sent><status>Actual</status>"
        f"<msgType>Alert</msgType>{head}<scope>Public</scope>{body}</alert>"
    ).encode()


def info(extra: str = "", area: str = "") -> str:
    """An <info> block of the required elements, then `extra` and `area`."""
    return (
        "<info><category>Met</category><event>Storm</event><urgency>Immediate</urgency>"
        f"<severity>Severe</severity><certainty>Likely</certainty>{extra}{area}</info>"
    )
