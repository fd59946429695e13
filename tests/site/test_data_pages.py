"""/data/: the snapshots listed, each with its files, checksums, citation and changes,
and a link from every page's footer."""

import hashlib

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from aiwatch.site.snapshots.export import export
from entities.models import Entity
from tests.site.snapshot_story import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshots(settings, tmp_path):
    settings.AIWATCH_SNAPSHOT_DIR = tmp_path
    story = make_story()
    export(tmp_path)
    Entity.objects.filter(pk=story["zhipu"].pk).update(name="Zhipu AI (智谱)")
    return export(tmp_path).snapshot


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def test_with_no_snapshot_the_page_says_how_one_is_made(client, settings, tmp_path):
    settings.AIWATCH_SNAPSHOT_DIR = tmp_path / "none yet"
    soup = page(client, reverse("data:snapshot-list"))
    assert "No snapshot has been published yet" in soup.main.text
    assert client.get(reverse("data:latest")).status_code == 404
    footer = page(client, reverse("home")).find("footer")
    assert footer.find("a", string="Download the data")["href"] == "/data/"


def test_the_list_shows_every_version_newest_first_with_its_counts(client, snapshots):
    soup = page(client, reverse("data:snapshot-list"))
    rows = soup.find("table").tbody.find_all("tr")
    assert [r.th.a.text for r in rows] == ["v2", "v1"]
    assert [td.text for td in rows[0].find_all("td")][1:] == ["2", "2", "1", "2"]


def test_the_list_answers_json_for_a_script(client, snapshots):
    data = client.get(reverse("data:snapshot-list"), {"format": "json"}).json()
    assert [s["version"] for s in data["snapshots"]] == [2, 1]
    assert data["snapshots"][0]["manifest"] == "http://testserver/data/v2/manifest.json"
    assert data["snapshots"][0]["counts"]["claims"] == 2


def test_every_page_footer_links_the_latest_version(client, snapshots):
    footer = page(client, reverse("entities:entity-list")).find("footer")
    assert footer.find("a", string="v2")["href"] == "/data/v2/"


def test_a_version_page_lists_its_files_with_their_checksums(client, snapshots):
    soup = page(client, reverse("data:snapshot-detail", kwargs={"version": 2}))
    rows = {r.th.a.text: r for r in soup.find("table").tbody.find_all("tr")}
    assert set(rows) == {f["name"] for f in snapshots.manifest["files"]}
    sqlite = snapshots.file("aiwatch.sqlite")
    assert rows["aiwatch.sqlite"].find("code").text == sqlite["sha256"]
    assert "@dataset{aiwatch-v2," in soup.find("details", class_="cite").text
    changes = soup.find("div", class_="changelog")
    assert [h.text for h in changes.find_all("h3")] == ["entities: 1 changed"]
    assert changes.find("a", string="Zhipu AI (智谱)") is not None


def test_an_older_version_says_it_is_not_the_newest(client, snapshots):
    soup = page(client, reverse("data:snapshot-detail", kwargs={"version": 1}))
    assert "This is not the newest version" in soup.find(role="status").text
    latest = page(client, reverse("data:snapshot-detail", kwargs={"version": 2}))
    assert latest.find(role="status") is None


def test_a_file_downloads_as_its_manifest_says_and_is_kept_for_good(client, snapshots):
    url = reverse("data:snapshot-file", kwargs={"version": 2, "name": "aiwatch.sqlite"})
    response = client.get(url)
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == snapshots.file("aiwatch.sqlite")["sha256"]
    assert response["Content-Type"] == "application/vnd.sqlite3"
    assert 'filename="aiwatch-v2-aiwatch.sqlite"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_text_files_are_shown_as_utf8(client, snapshots):
    response = client.get(
        reverse("data:snapshot-file", kwargs={"version": 2, "name": "SHA256SUMS"})
    )
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    readme = client.get(reverse("data:snapshot-file", kwargs={"version": 2, "name": "README.md"}))
    assert readme["Content-Type"] == "text/markdown; charset=utf-8"
    assert "Content-Disposition" not in readme or "attachment" not in readme["Content-Disposition"]


@pytest.mark.parametrize(
    "url",
    [
        "/data/v2/not-listed.csv",
        "/data/v2/..%2Fv1%2Fmanifest.json",
        "/data/v2/.partial-x",
        "/data/v3/",
        "/data/v3/manifest.json",
        "/data/v0/",
    ],
)
def test_anything_a_manifest_does_not_list_is_not_found(client, snapshots, url):
    (snapshots.path / "not-listed.csv").write_text("secret")
    assert client.get(url).status_code == 404


def test_latest_leads_to_the_newest_version_and_its_files(client, snapshots):
    response = client.get(reverse("data:latest"))
    assert (response.status_code, response["Location"]) == (302, "/data/v2/")
    response = client.get(reverse("data:latest-file", kwargs={"name": "claims.csv"}))
    assert response["Location"] == "/data/v2/claims.csv"
    assert response["Cache-Control"] == "no-cache"


def test_the_data_pages_ask_nothing_of_the_database(client, snapshots, django_assert_num_queries):
    with django_assert_num_queries(0):
        for url in ["/data/", "/data/v2/", "/data/v1/manifest.json", "/data/latest/"]:
            assert client.get(url).status_code in (200, 302)


def test_a_damaged_changelog_leaves_the_version_page_readable(client, snapshots):
    (snapshots.path / "CHANGELOG.md").write_bytes(b"\xff\xfe not utf-8")
    soup = page(client, reverse("data:snapshot-detail", kwargs={"version": 2}))
    assert "No changelog." in soup.main.text
    assert soup.find("table") is not None
