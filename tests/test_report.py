"""The HTML report: structure and escaping by parsing it, behaviour in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from align import align, load_articles
from align.report import to_html
from tests.conftest import SEEDS, write

HOSTILE = (
    "Officials said <script>alert('pwned')</script> nothing ran.\n\n"
    "An <img src=x onerror=alert(1)> image and a </style> tag stay text.\n\n"
    "Putin spoke with Biden on Thursday for 50 minutes about Ukraine."
)


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str, cls: str | None = None) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and (cls is None or cls in (a.get("class") or "").split())]


@pytest.fixture(scope="module")
def seeds_page(embedder) -> str:
    return to_html(align(load_articles(SEEDS), embedder=embedder))


@pytest.fixture
def hostile_page(embedder, tmp_path) -> str:
    return to_html(align(load_articles([write(tmp_path, "hostile.txt", HOSTILE), SEEDS[3]]), embedder=embedder))


def test_one_column_per_article_and_every_sentence_in_it(seeds_page) -> None:
    page = Elements(seeds_page)
    articles = load_articles(SEEDS)
    assert len(page.all("article", "column")) == len(articles)
    ids = {a["id"] for a in page.all("span", "s") if a.get("id")}  # the legend's samples have none
    assert ids == {f"s{i}-{s.index}" for i, a in enumerate(articles) for s in a.sentences}
    assert page.all("svg") and page.all("section") and page.all("div", "group")


def test_self_contained_no_network(seeds_page) -> None:
    page = Elements(seeds_page)
    assert len(page.all("script")) == 1 and page.all("script")[0].get("src") is None
    assert not page.all("link") and not page.all("img") and not page.all("iframe")
    for _, attributes in page.tags:
        for name in ("src", "href"):
            assert not (attributes.get(name) or "").startswith(("http:", "https:", "//"))
    assert "@import" not in seeds_page and "url(http" not in seeds_page


def test_groups_mark_their_members_and_divergences(seeds_page) -> None:
    page = Elements(seeds_page)
    grouped = [a for a in page.all("span", "al") if a.get("id")]
    assert grouped and all(a.get("data-g") is not None for a in grouped)
    marks = page.all("mark", "d")
    assert {"t-conflict", "t-variant", "t-missing"} & {c for m in marks for c in m["class"].split()}
    assert all(m.get("data-d") for m in marks)


def test_article_html_is_escaped(hostile_page) -> None:
    page = Elements(hostile_page)
    assert len(page.all("script")) == 1 and not page.all("img")
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in hostile_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile_page
    assert hostile_page.count("</style>") == 1


# -- in a real browser ----------------------------------------------------------------------------

def _browser():
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium and chromium-driver (.ci/run installs them)")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))


@pytest.fixture(scope="module")
def browser():
    driver = _browser()
    yield driver
    driver.quit()


def _open(browser, tmp_path: Path, page: str) -> None:
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())


def _errors(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_clicking_a_sentence_highlights_its_group_in_other_columns(browser, seeds_page, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, tmp_path, seeds_page)
    assert _errors(browser) == []
    wide = [g for g in browser.find_elements(By.CSS_SELECTOR, "#groups .group")]
    target, click = None, None
    for group in wide:
        gid = group.get_attribute("data-g")
        members = browser.find_elements(By.CSS_SELECTOR, f'.s[data-g~="{gid}"]')
        # a member whose strongest group this is: a click selects it
        first = [m for m in members if m.get_attribute("data-g").split()[0] == gid]
        if len({m.get_attribute("id").split("-")[0] for m in members}) >= 3 and first:
            target, click = members, first[0]
            break
    assert target, "the seeds have a group spanning three articles"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", click)
    click.click()
    selected = browser.find_elements(By.CSS_SELECTOR, ".s.sel")
    assert {e.get_attribute("id") for e in selected} == {e.get_attribute("id") for e in target}
    details = browser.find_element(By.ID, "details")
    assert details.is_displayed() and "Group" in details.text
    assert _errors(browser) == []


def test_keys_move_between_groups_and_divergences(browser, seeds_page, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.action_chains import ActionChains

    _open(browser, tmp_path, seeds_page)
    def selected_group() -> set[str]:
        """The groups every highlighted sentence belongs to (a sentence may be in several)."""
        found = [set(e.get_attribute("data-g").split()) for e in browser.find_elements(By.CSS_SELECTOR, ".s.sel")]
        return set.intersection(*found) if found else set()

    ActionChains(browser).send_keys("j").perform()
    first = selected_group()
    ActionChains(browser).send_keys("j").perform()
    second = selected_group()
    assert len(first) == 1 and len(second) == 1 and first != second
    ActionChains(browser).send_keys("n").perform()
    current = browser.find_elements(By.CSS_SELECTOR, "mark.cur")
    assert current and all(m.get_attribute("data-d") for m in current)
    assert _errors(browser) == []


def test_hostile_article_runs_nothing_in_the_browser(browser, hostile_page, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, tmp_path, hostile_page)
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 1
    text = browser.find_element(By.ID, "columns").text
    assert "<script>alert('pwned')</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert _errors(browser) == []


def test_narrow_screen_stacks_the_columns(browser, seeds_page, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, tmp_path, seeds_page)
    browser.set_window_size(420, 900)
    try:
        columns = browser.find_elements(By.CSS_SELECTOR, "article.column")
        assert columns[1].location["y"] > columns[0].location["y"]
        assert columns[1].location["x"] == columns[0].location["x"]
    finally:
        browser.set_window_size(1400, 1000)


def test_at_400_pixels_nothing_runs_off_the_side(browser, seeds_page, tmp_path) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 400, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    try:
        _open(browser, tmp_path, seeds_page)
        wide = browser.execute_script(
            "var w = document.documentElement.clientWidth, out = [];"
            "document.querySelectorAll('body *').forEach(function (e) {"
            "  if (e.getBoundingClientRect().right > w + 1 && !e.closest('.body')) out.push(e.tagName + '.' + e.className);"
            "}); return out;")
        assert wide == []
        assert browser.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
