"""What a pack holds: the rules the core enforces, whatever the app or the command line asks."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from forumkit import audit
from forumkit.codebooks import set_inspection_areas
from forumkit.packs import (
    PackError,
    PackRequest,
    PackSettingsError,
    gather,
    list_packs,
    make_pack,
    pack_settings,
    prepare_pack,
    set_pack_settings,
)
from forumkit.packs.attributes import AttributeGate
from forumkit.packs.document import pack_data
from forumkit.quotes import review_quote
from forumkit.responses import erase_respondent, erasure_text, update_response
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

from .helpers import EMAIL, SECRET_WORD, PackForum, make_pack_forum


@pytest.fixture(scope="module")
def forum_file(tmp_path_factory: pytest.TempPathFactory) -> PackForum:
    return make_pack_forum(tmp_path_factory.mktemp("forum"))


@pytest.fixture
def forum(forum_file: PackForum, tmp_path: Path) -> Iterator[tuple[Workspace, PackForum]]:
    """A fresh copy of the module's forum file, open."""
    copy = tmp_path / "forum.forumkit"
    copy.write_bytes(forum_file.path.read_bytes())
    with Workspace.open(copy, PASSPHRASE) as workspace:
        yield workspace, forum_file


def test_only_quotes_that_may_leave_and_only_consenting_responses(
    forum: tuple[Workspace, PackForum],
) -> None:
    workspace, made = forum
    content = gather(workspace, PackRequest(made.survey))
    ids = {quote.quote_id for quote in content.quotes}
    assert made.quote_ids["refused"] not in ids  # no consent to share
    assert made.quote_ids["unreviewed"] not in ids
    assert ids == {
        made.quote_ids[name]
        for name in (
            "waited",
            "crisis",
            "injection",
            "polish",
            "romanian",
            "coproduction",
            "formula",
            "edited",
        )
    }
    assert content.responses == 12  # the refusing parent is not counted
    assert made.refusing.id not in content.response_ids
    assert dict(content.left_out) == {"not reviewed": 1, "no consent to quote and share": 1}
    assert SECRET_WORD not in repr(pack_data(content, "0" * 64))


def test_withdrawn_consent_takes_the_quote_out_of_the_next_pack(
    forum: tuple[Workspace, PackForum],
) -> None:
    workspace, made = forum
    parent = made.consenting[4]
    update_response(workspace, parent.id, {**parent.answers, "consent_share": "no"})
    content = gather(workspace, PackRequest(made.survey))
    assert made.quote_ids["coproduction"] not in {q.quote_id for q in content.quotes}
    assert content.responses == 11


def test_quotes_come_by_key_message_numbered_once(forum: tuple[Workspace, PackForum]) -> None:
    workspace, made = forum
    content = gather(workspace, PackRequest(made.survey))
    sections = {section.key: section for section in content.key_messages}
    assert [s.key for s in content.key_messages] == [
        "listen-early",
        "money",
        "incentives",
        "accountability",
        "workforce",
        "lifelong-outcomes",
        "coproduction",
    ]
    crisis = next(q for q in content.quotes if q.quote_id == made.quote_ids["crisis"])
    # Tagged listen-early and money: under both, with one number.
    assert crisis.number - 1 in sections["listen-early"].quotes
    assert crisis.number - 1 in sections["money"].quotes
    assert [q.number for q in content.quotes] == list(range(1, len(content.quotes) + 1))
    assert sections["incentives"].quotes == ()
    assert sections["listen-early"].respondents == 1  # two quotes from one parent


def test_codes_narrow_the_key_messages(forum: tuple[Workspace, PackForum]) -> None:
    workspace, made = forum
    content = gather(workspace, PackRequest(made.survey, codes=("workforce", "coproduction")))
    assert [s.key for s in content.key_messages] == ["workforce", "coproduction"]
    assert {q.quote_id for q in content.quotes} == {
        made.quote_ids[name] for name in ("polish", "romanian", "coproduction", "formula")
    }
    with pytest.raises(PackError, match=r"“transport” is not one of the key messages"):
        gather(workspace, PackRequest(made.survey, codes=("transport",)))


def test_inspection_areas_follow_the_forums_mapping(forum: tuple[Workspace, PackForum]) -> None:
    workspace, made = forum
    content = gather(workspace, PackRequest(made.survey, by_inspection_area=True))
    assert content.areas is not None
    areas = {section.key: section for section in content.areas}
    coproduction = next(q for q in content.quotes if q.quote_id == made.quote_ids["coproduction"])
    assert coproduction.number - 1 in areas["families-participate"].quotes
    # The forum remaps coproduction onto "valued, visible and included" instead.
    set_inspection_areas(workspace, "coproduction", ["valued-included"])
    again = gather(workspace, PackRequest(made.survey, by_inspection_area=True))
    assert again.areas is not None
    moved = {section.key: section for section in again.areas}
    index = next(q.number - 1 for q in again.quotes if q.quote_id == made.quote_ids["coproduction"])
    assert index in moved["valued-included"].quotes
    assert index not in moved["families-participate"].quotes
    assert gather(workspace, PackRequest(made.survey)).areas is None


def test_redaction_runs_again_at_pack_time(forum: tuple[Workspace, PackForum]) -> None:
    workspace, made = forum
    content = gather(workspace, PackRequest(made.survey))
    edited = next(q for q in content.quotes if q.quote_id == made.quote_ids["edited"])
    assert EMAIL not in edited.text and "[email]" in edited.text
    assert [(r.quote_id, r.kinds) for r in content.redacted] == [
        (made.quote_ids["edited"], ("email",))
    ]
    # Once the reviewer corrects it, nothing is reported.
    review_quote(workspace, made.quote_ids["edited"], redacted_text="Write to me.", reviewed=True)
    assert gather(workspace, PackRequest(made.survey)).redacted == ()


def test_a_family_is_described_only_by_what_enough_others_share(
    forum: tuple[Workspace, PackForum],
) -> None:
    workspace, made = forum
    content = gather(workspace, PackRequest(made.survey))
    assert [a.name for a in content.attributes] == ["phase", "services"]
    by_id = {q.quote_id: q for q in content.quotes}
    # Parent 0 is the only early-years child: the phase is left out, the common service stays.
    assert by_id[made.quote_ids["waited"]].attributes == ("", "Speech and language therapy")
    # 7 secondary, 4 primary (fewer than 5), 1 early years among the 12 counted.
    assert by_id[made.quote_ids["injection"]].attributes == (
        "Secondary",
        "Speech and language therapy",
    )
    assert by_id[made.quote_ids["romanian"]].attributes == ("", "Speech and language therapy")
    only_services = gather(workspace, PackRequest(made.survey, attributes=("services",)))
    assert {q.attributes for q in only_services.quotes} == {("Speech and language therapy",)}
    with pytest.raises(PackError, match="not a single- or multiple-choice question"):
        gather(workspace, PackRequest(made.survey, attributes=("rating",)))
    with pytest.raises(PackError, match="no question named “postcode”"):
        gather(workspace, PackRequest(made.survey, attributes=("postcode",)))


def test_two_common_details_rare_together_are_not_shown_together() -> None:
    population = [("a", "x")] * 5 + [("b", "y")] * 5 + [("a", "y")] * 2
    gate = AttributeGate(population, threshold=5)
    assert gate.shown(("a", "x")) == (True, True)
    assert gate.shown(("a", "y")) == (True, False)  # 7 "a", 7 "y", only 2 "a" and "y"
    assert gate.shown((None, "y")) == (False, True)
    assert gate.shown(("c", "y")) == (False, True)


def test_title_and_contact_default_to_the_forums_settings(
    forum: tuple[Workspace, PackForum],
) -> None:
    workspace, made = forum
    content = gather(workspace, PackRequest(made.survey))
    assert content.title == "Evidence from Testshire PCF for the local area SEND inspection"
    assert content.contact == ""
    assert any("names nobody to contact" in w for w in content.warnings)
    set_pack_settings(workspace, title="Parents' evidence, spring 2026", contact="Jo\nchair@pcf")
    assert pack_settings(workspace.db).contact == "Jo\nchair@pcf"
    content = gather(workspace, PackRequest(made.survey))
    assert (content.title, content.contact) == ("Parents' evidence, spring 2026", "Jo\nchair@pcf")
    given = gather(workspace, PackRequest(made.survey, title="Another", contact=""))
    assert (given.title, given.contact) == ("Another", "")
    with pytest.raises(PackSettingsError, match="a cover holds at most 200"):
        set_pack_settings(workspace, title="x" * 201)
    with pytest.raises(PackSettingsError, match="control character"):
        set_pack_settings(workspace, contact="Jo\x1b[2J")


def test_the_statement_is_paragraphs_and_is_checked(forum: tuple[Workspace, PackForum]) -> None:
    workspace, made = forum
    content = gather(
        workspace,
        PackRequest(made.survey, statement="First line\nsame paragraph.\n\n\nSecond. Ring Jamie."),
    )
    assert content.statement == ("First line same paragraph.", "Second. Ring Jamie.")
    assert any("statement seems to hold identifying details (name)" in w for w in content.warnings)
    with pytest.raises(PackError, match="a pack takes at most 20,000"):
        gather(workspace, PackRequest(made.survey, statement="x" * 20_001))


def test_audit_names_the_pack_its_survey_and_the_quoted_responses_only(
    forum: tuple[Workspace, PackForum], tmp_path: Path
) -> None:
    workspace, made = forum
    result = make_pack(workspace, PackRequest(made.survey), tmp_path / "pack.pdf")
    (entry,) = audit.entries(workspace.db, "pack_created")
    quoted = sorted({made.consenting[i].id for i in (0, 1, 2, 3, 4, 5, 7)})
    assert entry.object_ids == [result.pack_id, made.survey.id, *quoted]
    assert entry.counts["quotes"] == 8 and entry.counts["counted"] == 12
    assert result.password is not None
    assert result.password not in repr(audit.entries(workspace.db))
    (record,) = list_packs(workspace.db)
    assert (record.pack_id, record.survey_ids, record.quotes, record.responses) == (
        result.pack_id,
        (made.survey.id,),
        8,
        7,
    )


def test_an_erasure_names_the_packs_that_held_the_words(
    forum: tuple[Workspace, PackForum], tmp_path: Path
) -> None:
    workspace, made = forum
    quoted = made.consenting[0]
    update_response(workspace, quoted.id, respondent="jo@example.org")
    first = make_pack(workspace, PackRequest(made.survey), tmp_path / "first.pdf")
    make_pack(workspace, PackRequest(made.survey, codes=("coproduction",)), tmp_path / "co.pdf")
    erasure = erase_respondent(workspace, "jo@example.org")
    assert [(d.action, d.pack_id, d.responses) for d in erasure.disclosures] == [
        ("pack_created", first.pack_id, 1)
    ]
    assert f"left the file in the evidence pack {first.pack_id} made" in erasure_text(erasure)
    # The next pack no longer holds the erased parent's quotes.
    after = gather(workspace, PackRequest(made.survey))
    assert made.quote_ids["waited"] not in {q.quote_id for q in after.quotes}


def test_a_failed_pack_leaves_no_file_and_no_audit_entry(
    forum: tuple[Workspace, PackForum], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, made = forum
    import typst

    def broken(*args: object, **kwargs: object) -> bytes:
        raise typst.TypstError("unknown variable", "pack.typ:1", [], [])

    monkeypatch.setattr(typst, "compile", broken)
    out = tmp_path / "pack.pdf"
    before = workspace.path.read_bytes()
    with pytest.raises(PackError, match="could not lay the evidence pack out"):
        make_pack(workspace, PackRequest(made.survey), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".forum.forumkit.lock", "forum.forumkit"]
    assert workspace.path.read_bytes() == before
    assert audit.entries(workspace.db, "pack_created") == []


def test_a_pack_needs_a_pdf_name_and_a_strong_enough_password(
    forum: tuple[Workspace, PackForum], tmp_path: Path
) -> None:
    workspace, made = forum
    with pytest.raises(PackError, match=r"must end in \.pdf"):
        prepare_pack(workspace, PackRequest(made.survey), tmp_path / "pack.docx")
    with pytest.raises(PackError, match="too short: use at least 8 characters"):
        prepare_pack(workspace, PackRequest(made.survey), tmp_path / "p.pdf", password="short")


def test_no_socket_is_opened_while_a_pack_is_made(
    forum: tuple[Workspace, PackForum], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, made = forum

    def refuse(*args: object, **kwargs: object) -> socket.socket:
        raise AssertionError("making a pack tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = make_pack(workspace, PackRequest(made.survey), tmp_path / "pack.pdf")
    assert result.quotes == 8 and (tmp_path / "pack.pdf").stat().st_size > 10_000


def test_a_pack_uses_the_forums_small_cell_threshold(forum: tuple[Workspace, PackForum]) -> None:
    from forumkit.analysis import set_suppression_threshold

    workspace, made = forum
    assert gather(workspace, PackRequest(made.survey)).threshold == 5
    set_suppression_threshold(workspace, 10)
    assert gather(workspace, PackRequest(made.survey)).threshold == 10
