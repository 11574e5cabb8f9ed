"""What Wagtail gives editors, checked for news: drafts, preview, revisions and
scheduled publishing (run by the periodic job that `make run` starts)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from caravan.core import jobs
from caravan.testing import make_article

from .conftest import soup

pytestmark = pytest.mark.django_db


def edit_form_data(response, **changes):
    """What the edit form in `response` would submit. The body's StreamField is drawn by
    the admin's JavaScript, so its (empty) form data is added here."""
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield([])}))
    data.update(changes)
    return data


def public_titles(client):
    return [h.get_text(strip=True) for h in soup(client.get("/en/press-room/")).select("h2 a")]


def test_a_draft_is_not_public_but_the_editor_can_view_it(client, press, admin_user):
    draft = make_article(press, "Embargoed results", publish_now=False)
    assert client.get("/en/press-room/embargoed-results/").status_code == 404
    assert "Embargoed results" not in public_titles(client)

    client.force_login(admin_user)
    response = client.get(f"/admin/pages/{draft.pk}/view_draft/")
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Embargoed results"


def test_draft_changes_to_a_live_article_stay_private_until_published(anon_client, press):
    article = make_article(press, "Original title")
    article.title = "Changed title"
    article.save_revision()
    page = soup(anon_client.get(article.url))
    assert page.h1.get_text() == "Original title"
    article.get_latest_revision().publish()
    assert soup(anon_client.get(article.url)).h1.get_text() == "Changed title"


def test_preview_renders_unsaved_edits_through_the_admin_preview_url(admin_client, press):
    article = make_article(press, "Before preview")
    edit = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code == 200
    data = edit_form_data(
        edit, title="Seen only in preview", summary="A summary typed but not saved."
    )

    preview_url = f"/admin/pages/{article.pk}/edit/preview/"
    answer = admin_client.post(preview_url, data)
    assert answer.status_code == 200
    assert answer.json()["is_valid"] is True
    preview = admin_client.get(preview_url, {"mode": ""})
    assert preview.status_code == 200
    page = soup(preview)
    assert page.h1.get_text() == "Seen only in preview"
    assert page.select_one(".news-article__summary").get_text() == "A summary typed but not saved."
    # Nothing was saved: the public page is unchanged.
    article.refresh_from_db()
    assert article.title == "Before preview"
    assert article.revisions.count() == 1


def test_preview_of_the_news_list_works(admin_client, press):
    make_article(press, "Listed")
    edit = admin_client.get(f"/admin/pages/{press.pk}/edit/")
    data = querydict_from_html(edit.content.decode(), form_id="page-edit-form")
    data["introduction"] = "Intro in preview."
    url = f"/admin/pages/{press.pk}/edit/preview/"
    assert admin_client.post(url, data).json()["is_valid"] is True
    page = soup(admin_client.get(url, {"mode": ""}))
    assert page.select_one(".news-index__header .lead").get_text() == "Intro in preview."
    assert [a.get_text() for a in page.select(".news-card__title a")] == ["Listed"]


def test_reverting_to_an_earlier_revision_restores_it(admin_client, anon_client, press):
    article = make_article(press, "First wording", summary="The first summary.")
    first_revision = article.latest_revision
    article.title = "Second wording"
    article.summary = "The second summary."
    article.save_revision().publish()
    assert soup(anon_client.get(article.url)).h1.get_text() == "Second wording"

    revisions = admin_client.get(f"/admin/pages/{article.pk}/history/")
    assert revisions.status_code == 200
    revert = admin_client.get(f"/admin/pages/{article.pk}/revisions/{first_revision.pk}/revert/")
    assert revert.status_code == 200
    form = soup(revert).select_one("form#page-edit-form")
    data = edit_form_data(revert, **{"action-publish": "action-publish"})
    assert data["title"] == "First wording"
    response = admin_client.post(form["action"], data)
    assert response.status_code == 302, response.content[:2000]

    page = soup(anon_client.get(article.url))
    assert page.h1.get_text() == "First wording"
    assert page.select_one(".news-article__summary").get_text() == "The first summary."
    assert article.revisions.count() == 3


def test_scheduled_article_goes_live_when_the_periodic_job_runs_after_its_time(
    anon_client, press, monkeypatch
):
    article = make_article(press, "Tomorrow's news", publish_now=False)
    article.go_live_at = timezone.now() + timedelta(hours=1)
    article.save_revision().publish()  # what “Publish” does with a future go-live date
    article.refresh_from_db()
    assert not article.live
    assert article.latest_revision.approved_go_live_at is not None

    jobs.publish_scheduled_pages()  # the job runs, but the time has not come
    assert anon_client.get("/en/press-room/tomorrows-news/").status_code == 404
    assert "Tomorrow's news" not in public_titles(anon_client)
    assert "Tomorrow" not in anon_client.get("/en/press-room/feed/rss/").content.decode()

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2))
    assert anon_client.get("/en/press-room/tomorrows-news/").status_code == 404
    jobs.publish_scheduled_pages()
    assert anon_client.get("/en/press-room/tomorrows-news/").status_code == 200
    assert public_titles(anon_client) == ["Tomorrow's news"]
    assert "Tomorrow" in anon_client.get("/en/press-room/feed/rss/").content.decode()


def test_expired_article_leaves_the_list_when_the_job_runs(anon_client, press, monkeypatch):
    article = make_article(press, "Limited offer")
    article.expire_at = timezone.now() + timedelta(hours=1)
    article.save_revision().publish()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2))
    jobs.publish_scheduled_pages()
    assert anon_client.get(article.url).status_code == 404
    assert public_titles(anon_client) == []


def test_editors_can_add_an_article_only_under_a_news_list(press, home):
    from caravan.news.models import NewsIndexPage, NewsPage

    assert NewsPage.can_create_at(press)
    assert not NewsPage.can_create_at(home)
    assert not NewsIndexPage.can_create_at(home)  # one news list per site (the demo's)


def test_preview_of_a_new_unsaved_article(admin_client, press):
    url = f"/admin/pages/add/news/newspage/{press.pk}/"
    form = admin_client.get(url)
    assert form.status_code == 200
    data = edit_form_data(
        form, title="Not saved yet", slug="not-saved-yet", summary="Only a preview."
    )
    preview_url = f"/admin/pages/add/news/newspage/{press.pk}/preview/"
    assert admin_client.post(preview_url, data).json()["is_valid"] is True
    page = soup(admin_client.get(preview_url, {"mode": ""}))
    assert page.h1.get_text() == "Not saved yet"
    assert "Posted on" in page.select_one(".news-article__meta").get_text()
    assert not press.get_children().filter(slug="not-saved-yet").exists()
