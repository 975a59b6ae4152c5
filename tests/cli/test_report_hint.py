"""``thematica report`` says in the terminal why agreement was not computed and how to fix it."""

from __future__ import annotations

import pytest

from thematica.agreement.service import AgreementOptions, agreement
from thematica.cli.theme_commands import agreement_hint
from thematica.coding.segments import apply_code
from thematica.errors import ThematicaError
from thematica.store import documents as document_store


def test_unmarked_documents_get_the_way_to_mark_them(make_project_with_text) -> None:
    project = make_project_with_text({"R1": "I: Hoe was het?\nR: Spannend. Later voelde ik me veilig.\n"})
    with project.reading() as session:
        document = document_store.document_by_name(session, "R1")
        assert document is not None
        document_id = document.id
    for coder in ("anouk", "bas"):
        apply_code(project, document_id, coder, 19, 28, code_path="Spanning")
    with pytest.raises(ThematicaError) as refused:
        agreement(project, AgreementOptions(bootstrap_samples=0))
    hint = agreement_hint(str(refused.value.args[0]), "p.thematica")
    assert "no document is marked finished by every coder" in hint
    assert "thematica code p.thematica --coder NAME" in hint and "--include-unfinished" in hint
    assert agreement_hint("agreement needs at least two different coders", "p") == \
        "agreement needs at least two different coders"
