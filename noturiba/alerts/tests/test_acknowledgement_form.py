"""The acknowledgement page's quick check of a submission agrees with its form in every case."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from noturiba.alerts.forms import AcknowledgementForm
from noturiba.alerts.replies import Answer

answers = st.one_of(st.sampled_from([*Answer.values, "", "SAFE", "safe ", "maybe"]), st.text())
notes = st.one_of(
    st.text(max_size=30),
    st.text(min_size=995, max_size=1010),
    st.sampled_from(["", "   ", " Mājās \n", "a\x00b", " " * 1005 + "x", "x" * 1000 + "  "]),
)


@given(answer=answers, note=notes)
def test_the_quick_check_accepts_exactly_what_the_form_accepts(answer: str, note: str) -> None:
    data = {"answer": answer, "note": note}
    form = AcknowledgementForm(data)

    quick = AcknowledgementForm.answer_of(data)

    if form.is_valid():
        assert quick == (Answer(form.cleaned_data["answer"]), form.cleaned_data["note"])
    else:
        assert quick is None


def test_a_missing_note_is_an_empty_one_and_a_missing_answer_is_refused() -> None:
    assert AcknowledgementForm.answer_of({"answer": "safe"}) == (Answer.SAFE, "")
    assert AcknowledgementForm.answer_of({"note": "Mājās"}) is None
