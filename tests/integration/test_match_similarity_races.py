"""The kept similarity and recomputed priorities while others work on the same items (PostgreSQL, real
transactions; a wait is seen in ``pg_blocking_pids``, never timed)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factcheck.domain.workflow import Decision, Policy, Role
from factcheck.facts import best_match_similarity
from factcheck.models import CheckItem, User
from factcheck.services import items as item_service
from factcheck.services import sources as source_service
from factcheck.services.items import LinkInput
from factcheck.services.sources import compute_priority, fill_match_similarities
from tests.conftest import PG_URL
from tests.factories import gen_evidence, gen_source, gen_user
from tests.pg_schema import behind_first, private_schema_database

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL")]


def test_an_open_item_somebody_holds_while_its_claimant_is_published_gets_its_new_priority() -> None:
    with private_schema_database() as db:
        with Session(db.engine) as session:
            claimant = gen_source(session, "Halvard Quist")
            checker, reviewer, other = (gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER),
                                        gen_user(session, Role.CHECKER))
            held = item_service.create_item(session, claim_text="The ferry timetable was cut by half in 2023.",
                                            actor=None, chain=[LinkInput(claimant, "said")], checkworthiness=0.5)
            published = item_service.create_item(session, claim_text="The harbour will close next spring.",
                                                 actor=None, chain=[LinkInput(claimant, "said")], checkworthiness=0.5)
            item_service.take_item(session, published.id, checker)
            gen_evidence(session, published, checker)
            item_service.propose_verdict(session, published.id, checker, rating_key="false", summary="No.",
                                         rationale="Minutes.", policy=Policy())
            session.commit()
            ids = dict(held=held.id, published=published.id, reviewer=reviewer.id, other=other.id)
        first = Session(db.engine)  # a checker takes the open item: its row is held until they commit
        item_service.take_item(first, ids["held"], first.get(User, ids["other"]))
        first.flush()
        behind_first(db, first, lambda s: item_service.vote_on_verdict(
            s, ids["published"], s.get(User, ids["reviewer"]), decision=Decision.APPROVE, policy=Policy()).id)
        with Session(db.engine) as session:
            item = session.get(CheckItem, ids["held"])
            assert item.priority == pytest.approx(compute_priority(session, item))


def test_a_restatement_edited_while_similarities_are_found_is_not_written_over(monkeypatch) -> None:
    with private_schema_database() as db:
        with Session(db.engine) as session:
            editor = gen_user(session, Role.EDITOR)
            item_service.create_item(session, claim_text="The port will close for repairs in May.", actor=None,
                                     checkworthiness=0.5)
            item = item_service.create_item(session, claim_text="The mayor announced new parking rules downtown.",
                                            actor=None, checkworthiness=0.5)
            session.commit()
            ids = dict(item=item.id, editor=editor.id, version=item.version)
        real, edited = source_service.best_match_similarity, []

        def matching_while_an_editor_works(session, item):  # type: ignore[no-untyped-def]
            found = real(session, item)
            if item.id == ids["item"] and not edited:  # the editor commits a new restatement meanwhile
                edited.append(True)
                with Session(db.engine) as other:
                    item_service.edit_item(other, ids["item"], other.get(User, ids["editor"]), version=ids["version"],
                                           restatement="The port will close for repairs in May.")
                    other.commit()
            return found

        monkeypatch.setattr(source_service, "best_match_similarity", matching_while_an_editor_works)
        with Session(db.engine) as session:
            fill_match_similarities(session, 200)
            session.commit()
        monkeypatch.undo()
        with Session(db.engine) as session:
            kept = session.get(CheckItem, ids["item"])
            assert edited and kept.match_similarity is None  # forgotten by the edit: found again when next needed
            assert fill_match_similarities(session, 200) == 1
            assert kept.match_similarity == best_match_similarity(session, kept)
