"""Adding articles through the form and reading them with their spans highlighted."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from factcheck.models import Article, CheckItem
from factcheck.queries.articles import ArticleItem, highlight
from factcheck.services.ingest import ingest_article
from factcheck.domain.workflow import Status
from tests.conftest import REPO
from tests.e2e.conftest import signed_in
from tests.helpers import post_form, recorded_statements

SEED = (REPO / "seeds" / "000_577d28931b450a74.txt").read_text(encoding="utf-8")


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_pasting_an_article_creates_its_items_in_triage(client, world, session):
    signed_in(client, world, "checker")
    response = post_form(client, "/articles/new", {"text": SEED, "title": "", "outlet": "NV", "url": "https://nv.example/a"})
    assert response.status_code == 302
    article_id = int(response.headers["Location"].rsplit("/", 1)[1])
    article = session.get(Article, article_id)
    assert article.outlet.name == "NV" and article.url == "https://nv.example/a"
    count = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.article_id == article_id))
    assert count >= 5
    page = _text(client.get(f"/articles/{article_id}"))
    article_text = page[page.index('<article class="card article-text"'):page.index("</article>")]
    assert article_text.count('class="hl hl-claim"') == count
    assert "not highlighted" not in page
    assert "off the record" in page


def test_uploading_an_html_file_works_too(client, world, session):
    signed_in(client, world, "editor")
    html = b"<html><body><h1>Port news</h1><p>The minister said the port would reopen in May.</p></body></html>"
    page = client.get("/articles/new")
    from tests.helpers import csrf_token

    response = client.post("/articles/new", data={"csrf_token": csrf_token(_text(page)),
                                                  "upload": (io.BytesIO(html), "port.html")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    article = session.get(Article, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert "<p>" not in article.text and "reopen in May" in article.text


def test_an_upload_of_the_wrong_type_is_refused_plainly(client, world):
    signed_in(client, world, "checker")
    from tests.helpers import csrf_token

    page = client.get("/articles/new")
    response = client.post("/articles/new", data={"csrf_token": csrf_token(_text(page)),
                                                  "upload": (io.BytesIO(b"%PDF-1.4"), "article.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Upload a .txt or .html file." in _text(response)


def test_every_problem_of_the_form_is_said_at_once_in_plain_words(client, world):
    signed_in(client, world, "checker")
    response = post_form(client, "/articles/new", {"text": "", "title": "T" * 600, "url": "nv.example/a"})
    assert response.status_code == 422
    page = _text(response)
    assert "Please correct the marked fields." in page
    assert "Paste the article&#39;s text or choose a file to upload." in page
    assert "Keep the title to 500 characters." in page and "Field cannot be longer" not in page
    assert "Enter a full link starting with https://." in page


def test_an_empty_form_asks_for_text_or_a_file(client, world):
    signed_in(client, world, "checker")
    response = post_form(client, "/articles/new", {"text": "  ", "title": "Kept title"})
    assert response.status_code == 422
    assert "Paste the article&#39;s text or choose a file" in _text(response) and 'value="Kept title"' in _text(response)


def test_adding_the_same_article_twice_links_to_the_first_and_changes_nothing(client, world, session):
    signed_in(client, world, "checker")
    first = post_form(client, "/articles/new", {"text": SEED})
    article_id = int(first.headers["Location"].rsplit("/", 1)[1])
    before = session.scalar(select(func.count()).select_from(CheckItem))
    again = post_form(client, "/articles/new", {"text": SEED + "\n\n"})
    assert again.status_code == 409
    assert f'href="/articles/{article_id}"' in _text(again) and "Nothing was changed." in _text(again)
    # Said once, as a notice: no field is wrong, so the page asks for no correction.
    assert _text(again).count("Nothing was changed.") == 1
    assert "Please correct the marked fields." not in _text(again)
    assert session.scalar(select(func.count()).select_from(CheckItem)) == before


def test_the_article_list_counts_items_by_status(client, world):
    signed_in(client, world, "reviewer")
    page = _text(client.get("/articles"))
    row = page[page.index("Harbour closure"):]
    assert re.search(r'count-claim">\s*\d+', row)


def test_the_article_list_needs_a_fixed_number_of_queries(client, world, session, database):
    signed_in(client, world, "reviewer")
    with recorded_statements(database.engine) as few:
        client.get("/articles")
    for n in range(5):
        ingest_article(session, f"Headline {n}\n\nThe minister said taxes rose by {n} percent last year.", actor=None)
    session.flush()
    with recorded_statements(database.engine) as many:
        client.get("/articles")
    assert len(many) == len(few)


def _item(number, item_id, span, status=Status.CLAIM, colour=None):
    return ArticleItem(number, item_id, "", status, None, span, "False" if colour else None, colour)


def test_highlighting_escapes_the_text_and_wraps_each_span_once():
    text = "<b>Bold</b> claim one. Claim two & more."
    html, unshown = highlight(text, [_item(1, 10, (12, 22)), _item(2, 11, (23, 40), Status.PUBLISHED, "#cf222e")],
                              [{"start": 0, "end": 11, "reason": "boilerplate"}])
    assert "<b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert html.count('href="/items/10"') == 1 and 'style="--rating-colour: #cf222e"' in html
    assert '<span class="dropped"' in html and "&amp; more" in html and unshown == {}


def test_overlapping_or_out_of_range_spans_are_left_plain_and_explained():
    text = "One two three four five."
    html, unshown = highlight(text, [_item(1, 1, (0, 13)), _item(2, 2, (4, 18)), _item(3, 3, (20, 99))], [])
    assert html.count("<a ") == 1
    assert unshown == {2: "its span overlaps item 1", 3: "its span lies outside the article's text"}
    assert re.sub(r"<[^>]+>", "", str(html)).replace("1One", "One") == text


def test_a_hostile_rating_colour_never_reaches_a_style_attribute():
    html, _ = highlight("abc", [_item(1, 1, (0, 3), Status.PUBLISHED, "red;}body{x")], [])
    assert "style=" not in html


def test_adding_too_many_articles_in_an_hour_is_refused_with_a_429_and_stores_nothing(app, client, world, session):
    app.config["INGEST_THROTTLE_LIMIT"] = 2
    signed_in(client, world, "checker")
    for n in range(2):
        response = post_form(client, "/articles/new", {"text": f"The minister said that {n + 10} schools closed."},
                             form_page="/articles/new")
        assert response.status_code == 302
    before = session.execute(select(func.count()).select_from(Article)).scalar()
    response = post_form(client, "/articles/new", {"text": "The mayor said that the bridge reopened."},
                         form_page="/articles/new")
    assert response.status_code == 429
    assert "Try again in" in _text(response) and int(response.headers["Retry-After"]) > 0
    assert session.execute(select(func.count()).select_from(Article)).scalar() == before


def test_an_upload_of_several_files_counts_each_against_the_hourly_limit(app, client, world, session, tmp_path):
    """The limit is on articles: one request of many files was counted once (300 files were stored under a
    limit of 3). An upload of more files than are left is refused with 429 and queues nothing."""
    import io
    import uuid

    from tests.helpers import csrf_token

    app.config.update(INGEST_THROTTLE_LIMIT=3, JOBS_PATH=str(tmp_path / "jobs.sqlite3"),
                      JOBS_NAME=f"factcheck-test-{uuid.uuid4().hex}")
    app.extensions.pop("factcheck.jobs", None)
    signed_in(client, world, "checker")

    def upload(count: int, first: int):  # type: ignore[no-untyped-def]
        page = client.get("/articles/new").get_data(as_text=True)
        files = [(io.BytesIO(f"The mayor said that {first + n} bridges reopened.".encode()), f"a{first + n}.txt")
                 for n in range(count)]
        return client.post("/articles/new", data={"csrf_token": csrf_token(page), "upload": files},
                           content_type="multipart/form-data")

    try:
        assert upload(2, 0).status_code == 302  # two articles: one left
        refused = upload(2, 10)
        assert refused.status_code == 429 and "Try again in" in _text(refused)
        assert upload(1, 20).status_code == 429  # the refused upload counted too, as failed attempts do
    finally:
        app.extensions.pop("factcheck.jobs", None)
