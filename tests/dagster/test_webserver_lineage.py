"""The Dagster UI shows each sync asset downstream of its audience, in a real browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    port = _free_port()
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(REPOSITORY_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    environment = {**os.environ, "DAGSTER_HOME": str(home)}
    webserver_bin = Path(sys.executable).with_name("dagster-webserver")
    process = subprocess.Popen(
        [str(webserver_bin), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPOSITORY_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/server_info", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                pytest.fail("dagster-webserver exited before answering")
            time.sleep(1)
        else:
            pytest.fail("dagster-webserver did not answer within 120 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("Chromium and ChromeDriver are needed: run scripts/install_browser.sh")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1600,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_asset_graph_shows_the_email_sync_downstream_of_its_audience(webserver, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    # The upstream lineage of the sync asset: its audience must be drawn in it.
    browser.get(
        f"{webserver}/assets/syncs/cart_abandoners_email?view=lineage&lineageScope=upstream"
        "&lineageDepth=3"
    )
    wait = WebDriverWait(browser, 90)
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "svg")))
    wait.until(lambda driver: "cart_abandoners_email" in driver.page_source)
    wait.until(lambda driver: "sync_plans" in driver.page_source)
    nodes_text = browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(str(tmp_path / "lineage.png"))
    assert "cart_abandoners" in nodes_text.replace("cart_abandoners_email", "")
    assert "cart_abandoners_email" in nodes_text
