"""A phone-sized headless Chromium (Debian's `chromium` + `chromium-driver` through Selenium,
nothing downloaded at run time) opens each code's page on the real server and sees the verdict;
screenshots are kept for a person to look at (CREDITDESK_WEB_SHOTS names the folder)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.web.conftest import CLEAN, OLD, make_codes, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844, "pixelRatio": 2.0}  # a common phone's CSS viewport


def fonts_conf(folder: Path) -> Path:
    """The system's fontconfig plus the app's bundled CJK fonts (the machine may have none)."""
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<dir>{ROOT / "resources" / "fonts"}</dir><cachedir>{folder / "fontcache"}</cachedir></fontconfig>""")
    return conf


@pytest.fixture
def phone(tmp_path):
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert browser and driver, "Debian's chromium and chromium-driver are needed (apt-get install chromium chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--lang=zh-CN", "--window-size=390,844"):
        options.add_argument(arg)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path)), "SE_OFFLINE": "true"}
    service = Service(executable_path=driver, env=env)
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must not fetch a browser
    chrome = webdriver.Chrome(options=options, service=service)
    yield chrome
    chrome.quit()


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CREDITDESK_WEB_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def full_page(chrome, path: Path) -> None:
    """The whole page, as a person scrolls through it (not just the first screen)."""
    import base64

    shot = chrome.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    path.write_bytes(base64.b64decode(shot["data"]))


def banner(chrome) -> tuple[str, str]:
    element = chrome.find_element(By.ID, "verdict")
    return element.find_element(By.TAG_NAME, "h1").text, element.value_of_css_property("background-color")


def test_a_phone_sees_each_verdict(db, profile, tmp_path, phone):
    codes = make_codes(db, profile, tmp_path)
    server = start_server(db.url, tmp_path, "--rate", "6000", "--burst", "500")
    shots = shots_dir(tmp_path)
    green, red, amber = "rgba(23, 117, 58, 1)", "rgba(192, 35, 29, 1)", "rgba(244, 180, 0, 1)"
    try:
        expected = {"valid": ("有效", green), "misread": ("请重新扫描", amber), "forged": ("无效 · 伪造", red),
                    "revoked": ("无效 · 已撤销", red), "expired": ("无效 · 已过期", red),
                    "newer": ("出具后有新增违法记录", amber)}
        for name, (words, colour) in expected.items():
            phone.get(f"{server.base}/V/{getattr(codes, name)}")  # upper case, as a phone camera opens it
            assert banner(phone) == (words, colour), name
            # made for the phone: nothing wider than the screen
            assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE["width"], name
            full_page(phone, shots / f"{db.dialect}-{name}.png")
        phone.get(f"{server.base}/V/{codes.valid}")
        page = phone.find_element(By.TAG_NAME, "main").text
        assert CLEAN in page and codes.valid_no in page
        link = phone.find_element(By.ID, "view-pdf")
        assert link.get_attribute("href") == f"{server.base}/V/{codes.valid}/pdf"
        phone.get(f"{server.base}/V/{codes.expired}")
        assert OLD in phone.find_element(By.TAG_NAME, "main").text
        assert not phone.find_elements(By.ID, "view-pdf")
        phone.get(f"{server.base}/reports")
        assert phone.find_element(By.TAG_NAME, "h1").text == "页面不存在"
        full_page(phone, shots / f"{db.dialect}-404.png")
    finally:
        stop_server(server)


def test_the_printed_code_read_by_a_camera_opens_its_page(db, profile, tmp_path, phone):
    """Issue with the deployment's host set to this server, render the PDF's first page, decode
    its QR as a phone camera would, and open what it says (HTTP here: TLS is the proxy's job)."""
    import dataclasses
    import re

    import pypdfium2
    import zxingcpp

    from core.services.signing.keys import KeyService
    from core.services.signing.verify_url import check_verify_host
    from tests.desks import make_desk
    from tests.factories import add_enterprise
    from tests.web.conftest import TODAY, free_port

    port = free_port()
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=TODAY)
    desk = make_desk(db, profile, keys)
    desk.desk.settings = dataclasses.replace(desk.desk.settings, verify_host=check_verify_host(f"127.0.0.1:{port}"))
    result = desk.issue(add_enterprise(db, CLEAN), purpose="融资")
    image = pypdfium2.PdfDocument(result.pdf)[0].render(scale=150 / 72).to_pil()
    (read,) = [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    assert re.fullmatch(rf"HTTPS://127\.0\.0\.1:{port}/V/\d+", read), read
    server = start_server(db.url, tmp_path, port=port)
    try:
        phone.get("HTTP://" + read.removeprefix("HTTPS://"))
        assert banner(phone)[0] == "有效"
        assert CLEAN in phone.find_element(By.TAG_NAME, "main").text
        full_page(phone, shots_dir(tmp_path) / f"{db.dialect}-camera.png")
    finally:
        stop_server(server)
