"""The routine pages through the Flask test client: who sees what, and what they can do."""
import io
import re

import pytest
from PIL import Image

from app.extensions import db
from app.routines import services
from tests.routines.factories import published_routine, user

NORD_ONLY = "nyckelhantering-hemvard-nord"
SYD_ONLY = "digitala-las-i-hemvard-syd"


def make(app, **kwargs):
    with app.app_context():
        return published_routine(**kwargs).slug


def test_the_list_shows_central_and_own_unit_routines_only(client, auth):
    auth.login_as_role("staff")
    html = client.get("/rutiner").get_data(as_text=True)
    assert f'href="/rutiner/{NORD_ONLY}"' in html
    assert f'href="/rutiner/{SYD_ONLY}"' not in html
    assert 'href="/rutiner/basala-hygienrutiner"' in html
    assert ">Sök rutin<" in html


def test_another_units_routine_is_not_found(client, auth):
    auth.login_as_role("staff")
    assert client.get(f"/rutiner/{SYD_ONLY}").status_code == 404
    assert client.get(f"/rutiner/{NORD_ONLY}").status_code == 200


def test_quality_reads_every_units_routines(client, auth):
    auth.login_as_role("quality")
    assert client.get(f"/rutiner/{SYD_ONLY}").status_code == 200


def test_search_results_are_links_best_first(client, auth):
    auth.login_as_role("staff")
    html = client.get("/rutiner?q=basala hygienrutiner").get_data(as_text=True)
    links = re.findall(r'<a href="(/rutiner/[a-z0-9-]+)">', html)
    assert links[0] == "/rutiner/basala-hygienrutiner"


def test_search_answers_htmx_with_the_result_list_alone(client, auth):
    auth.login_as_role("staff")
    response = client.get("/rutiner?q=trycksar", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'href="/rutiner/forebygga-trycksar"' in html and "<mark>" in html


def test_search_never_returns_another_units_routine(client, auth):
    auth.login_as_role("staff")
    html = client.get("/rutiner?q=digitala lås", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert SYD_ONLY not in html


def test_a_script_in_a_routine_body_never_reaches_the_page(app, client, auth):
    slug = make(app, body="Hej\n\n<script>document.title='x'</script>\n<p onclick=\"alert(1)\">klick</p>\n")
    auth.login_as_role("staff")
    html = client.get(f"/rutiner/{slug}").get_data(as_text=True)
    assert "document.title" not in html and "onclick" not in html


def test_jag_har_last_is_recorded_and_answered_with_a_fragment(app, client, auth):
    slug = make(app)
    auth.login_as_role("staff")
    assert "Jag har läst" in client.get(f"/rutiner/{slug}").get_data(as_text=True)
    response = auth.post(f"/rutiner/{slug}/last", headers={"HX-Request": "true"})
    assert "Du har bekräftat" in response.get_data(as_text=True) and "<html" not in response.get_data(as_text=True)
    assert "Jag har läst</button>" not in client.get(f"/rutiner/{slug}").get_data(as_text=True)


def test_jag_har_last_comes_after_the_routine_text(app, client, auth):
    slug = make(app)
    auth.login_as_role("staff")
    html = client.get(f"/rutiner/{slug}").get_data(as_text=True)
    assert html.index('class="routine-body') < html.index("Jag har läst</button>")


def test_favourites_show_under_mina_rutiner(client, auth):
    auth.login_as_role("staff")
    auth.post("/rutiner/munvard/favorit", {"favourite": "1"})
    html = client.get("/rutiner").get_data(as_text=True)
    mine = html.split('id="mina-rutiner"')[1].split("</section>")[0]
    assert 'href="/rutiner/munvard"' in mine


def test_a_changed_routine_shows_andrad_with_summary_and_difference(app, client, auth):
    with app.app_context():
        routine = published_routine(body="Rad ett\n")
        services.save_draft(user("kvalitet"), routine, title=routine.title, tags="", body_md="Rad ett\nNy rad\n")
        db.session.commit()
        services.submit_for_review(user("kvalitet"), routine, "Lade till en rad")
        db.session.commit()
        services.approve(user("mas"), routine)
        db.session.commit()
        slug = routine.slug
    auth.login_as_role("staff")
    page = client.get(f"/rutiner/{slug}").get_data(as_text=True)
    assert "Ändrad" in page and "Lade till en rad" in page
    difference = client.get(f"/rutiner/{slug}/andringar").get_data(as_text=True)
    assert "<ins>Ny rad</ins>" in difference
    recently = client.get("/rutiner").get_data(as_text=True).split('id="nyligen-andrade"')[1]
    assert f'href="/rutiner/{slug}"' in recently


@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("coordinator", 403), ("admin", 403),
                                              ("manager", 200), ("quality", 200)])
def test_only_writers_reach_the_editor_pages(client, auth, role, status):
    auth.login_as_role(role)
    assert client.get("/rutiner/ny").status_code == status
    assert client.get("/rutiner/hantera").status_code == status


def test_a_manager_cannot_edit_a_central_routine(client, auth):
    auth.login_as_role("manager")
    assert client.get("/rutiner/basala-hygienrutiner/redigera").status_code == 403
    assert client.get(f"/rutiner/{NORD_ONLY}/redigera").status_code == 200


def test_only_quality_edits_synonyms(client, auth):
    auth.login_as_role("manager")
    assert client.get("/rutiner/synonymer").status_code == 403
    auth.logout()
    auth.login_as_role("quality")
    response = auth.post("/rutiner/synonymer", {"word": "blöja", "means": "inkontinensskydd"})
    assert response.status_code == 303
    assert "inkontinensskydd" in client.get("/rutiner/synonymer").get_data(as_text=True)


def test_the_author_gets_no_approve_button(app, client, auth):
    with app.app_context():
        routine = services.create_routine(user("kvalitet"), __import__("tests.routines.factories", fromlist=["x"])
                                          .settings(owner="mas"), title="Granskas", tags="", body_md="Text")
        db.session.commit()
        services.submit_for_review(user("kvalitet"), routine, "Ny")
        db.session.commit()
        slug = routine.slug
    auth.login("kvalitet")
    page = client.get(f"/rutiner/{slug}/granska").get_data(as_text=True)
    assert "Godkänn och publicera" not in page and "du själv har skrivit" in page
    response = auth.post(f"/rutiner/{slug}/granska", {"decision": "approve"})
    assert response.status_code == 403


def test_manager_writes_a_draft_through_the_pages(app, client, auth):
    auth.login_as_role("manager")
    with app.app_context():
        owner_id, nord_id = user("chef.nord").id, user("chef.nord").units[0].id
        approver_id = user("kvalitet").id
    form = {"title": "Parkering vid kontoret", "kind": "rutin", "category": "Arbetsmiljö", "scope": str(nord_id),
            "owner": str(owner_id), "approver": str(approver_id), "review_due_on": "2027-05-01",
            "tags": "bil, parkering", "body_md": "1. Parkera på rutan.\n"}
    response = auth.post("/rutiner/ny", form, token_from="/rutiner/ny")
    assert response.status_code == 303 and response.headers["Location"].endswith("/redigera")
    slug = response.headers["Location"].split("/")[2]
    assert auth.post(f"/rutiner/{slug}/skicka", {"change_summary": "Ny rutin"}).status_code == 303
    with app.app_context():
        assert services.open_draft(services.routine_by_slug(slug)).status == "in_review"


def test_live_preview_renders_sanitised_markdown(client, auth):
    auth.login_as_role("quality")
    response = auth.post("/rutiner/forhandsgranska", {"body_md": "## Rubrik\n\n<script>x</script>"},
                         headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<h2>Rubrik</h2>" in html and "<script" not in html


def fetch(client, url):
    """Status and content type of a (streamed) file response, closing it."""
    response = client.get(url)
    response.close()
    return response.status_code, response.headers.get("Content-Type")


def png():
    output = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(output, format="PNG")
    return output.getvalue()


def test_an_uploaded_image_is_served_to_writers_and_hidden_from_readers_until_used(client, auth, app):
    auth.login_as_role("quality")
    token = client.get("/rutiner/ny").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/rutiner/bilder", data={"image": (io.BytesIO(png()), "bild.png"), "csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 201
    image_url = re.search(r"/rutiner/bilder/\d+", response.get_data(as_text=True)).group(0)
    assert fetch(client, image_url) == (200, "image/jpeg")
    auth.logout()
    auth.login_as_role("staff")
    assert fetch(client, image_url)[0] == 404
    make(app, body=f"![Bild]({image_url})\n")
    assert fetch(client, image_url) == (200, "image/jpeg")


def test_a_file_that_is_not_an_image_is_refused(client, auth):
    auth.login_as_role("quality")
    token = client.get("/rutiner/ny").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/rutiner/bilder", data={"image": (io.BytesIO(b"%PDF-1.4 nope"), "bild.png"),
                                                    "csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 400 and "inte en bild" in response.get_data(as_text=True)


def test_readers_propose_and_owners_answer(client, auth):
    auth.login_as_role("staff")
    response = auth.post("/rutiner/munvard/forslag", {"text": "Lägg till tandtråd."})
    assert response.status_code == 303
    auth.logout()
    auth.login("mas")
    page = client.get("/rutiner/forslag").get_data(as_text=True)
    assert "Lägg till tandtråd." in page


def test_approving_a_title_another_live_routine_took_meanwhile_says_why_and_publishes_nothing(app, client, auth):
    from tests.routines.factories import published_routine, settings

    with app.app_context():
        routine = services.create_routine(user("kvalitet"), settings(owner="mas"), title="Nycklar", tags="",
                                          body_md="Text")
        services.submit_for_review(user("kvalitet"), routine, "Ny")
        db.session.commit()
        slug = routine.slug
        published_routine(title="Nycklar")
    auth.login("mas")
    response = auth.post(f"/rutiner/{slug}/granska", {"decision": "approve"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/rutiner/{slug}/granska")
    page = client.get(f"/rutiner/{slug}/granska").get_data(as_text=True)
    assert "Det finns redan en publicerad rutin med rubriken ”Nycklar” för alla enheter." in page
    with app.app_context():
        assert services.routine_by_slug(slug).current_version is None
