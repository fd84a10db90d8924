"""The docs' tables are what the committed results of `make bench` and `make scale` render (bench/docs.py)."""

from __future__ import annotations

import pytest

from bench import docs


@pytest.mark.parametrize("doc", docs.DOCS, ids=lambda path: path.name)
def test_every_generated_table_matches_the_committed_results(doc):
    bench, scale = docs.committed_results()
    text = doc.read_text()

    committed = docs.blocks(text)

    assert committed, f"{doc.name} has no generated block"
    assert committed == docs.blocks(docs.render(text, bench, scale)), (
        f"{doc.name} disagrees with bench/results/: run `python -m bench.docs` (or make bench / make scale)"
    )


def test_every_table_the_tools_render_is_in_a_doc():
    shown = {name for doc in docs.DOCS for name in docs.blocks(doc.read_text())}
    assert shown == set(docs.BLOCKS)


def test_the_tables_name_the_commit_and_machine_they_ran_on():
    bench, _ = docs.committed_results()
    machine = docs.blocks(docs.DOCS[0].read_text())["machine"]
    assert f"| commit | {bench['machine']['commit']} |" in machine
    assert "| load average at start (1/5/15 min) |" in machine


def test_a_hand_edit_of_a_table_is_caught():
    bench, scale = docs.committed_results()
    text = docs.DOCS[1].read_text()
    edited = text.replace("| 100 | ", "| 100 | 9", 1)

    assert docs.blocks(edited) != docs.blocks(docs.render(edited, bench, scale))
