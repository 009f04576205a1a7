"""``id_url`` writes the same addresses as ``url_for``, with the route built once per page."""

from __future__ import annotations

from flask import Flask, url_for

from factcheck.web.rowurls import id_url


def _app() -> Flask:
    app = Flask(__name__)
    app.config["SERVER_NAME"] = "desk.example.org"
    app.add_url_rule("/items/<int:item_id>", "detail", lambda item_id: "")
    app.add_url_rule("/items/<int:item_id>/take", "take", lambda item_id: "")
    app.add_url_rule("/reports/<int:article_id>.json", "report", lambda article_id: "")
    return app


def test_id_url_gives_url_for_s_address_for_every_number():
    app = _app()
    with app.test_request_context("/", base_url="https://desk.example.org/sub"):
        for endpoint, key, extra in (("detail", "item_id", {}), ("take", "item_id", {}),
                                     ("report", "article_id", {}), ("detail", "item_id", {"_external": True}),
                                     ("detail", "item_id", {"tab": "history"})):
            build = id_url(endpoint, key, **extra)
            for n in (1, 7, 42, 100_000, 2**31 - 1):
                assert build(n) == url_for(endpoint, **{key: n}, **extra)
        assert id_url("take")(5).endswith("/items/5/take")


def test_id_url_falls_back_to_url_for_when_the_route_formats_numbers():
    app = _app()
    app.add_url_rule("/padded/<int(fixed_digits=24):item_id>", "padded", lambda item_id: "")
    with app.test_request_context("/"):
        build = id_url("padded")
        for n in (5, 123):
            assert build(n) == url_for("padded", item_id=n) == f"/padded/{n:024d}"
