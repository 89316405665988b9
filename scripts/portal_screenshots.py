"""Screenshots of the portal's main pages, at desktop and phone width.

Usage: python3 scripts/portal_screenshots.py CONFIG DB
DB holds both addons with their demo data (the demo portal user "portal"
belongs to the demo customer). Pictures go to
logistics_crm_portal/static/description/, where the README shows them.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

ROOT = Path(__file__).resolve().parent.parent

OUTPUT = ROOT / "logistics_crm_portal" / "static" / "description"
SIZES = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
DEBUG_PORT = 9333


class Browser:
    """Just enough of the Chrome DevTools protocol to load and capture."""

    def __init__(self):
        binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))))
        self.profile = tempfile.mkdtemp(prefix="lcrm_shots_")
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={DEBUG_PORT}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.socket = websocket.create_connection(self._page_url(), timeout=60)
        self.sequence = 0

    @staticmethod
    def _page_url():
        for _attempt in range(50):
            try:
                with urllib.request.urlopen(  # noqa: S310 (loopback)
                    f"http://127.0.0.1:{DEBUG_PORT}/json", timeout=2
                ) as response:
                    pages = [
                        target
                        for target in json.load(response)
                        if target["type"] == "page"
                    ]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("Chromium did not open its debugging port")

    def call(self, method, **params):
        self.sequence += 1
        self.socket.send(
            json.dumps({"id": self.sequence, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.sequence:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def capture(self, url, width, height, mobile, path):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.call("Page.navigate", url=url)
        # The chatter and the counters load after the page: let them.
        time.sleep(2.5)
        metrics = self.call("Page.getLayoutMetrics")
        full_height = min(int(metrics["cssContentSize"]["height"]), 4000)
        shot = self.call(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": full_height, "scale": 1},
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def demo_pages(env):
    customer = env.ref("logistics_crm.res_partner_customer_demo")
    shipment = env["logistics.shipment"].search(
        [("partner_id", "=", customer.id)], order="id", limit=1
    )
    complaint = env["logistics.complaint"].search(
        [("partner_id", "=", customer.id)], order="id", limit=1
    )
    quote = env.ref("logistics_crm_portal.logistics_quote_demo")
    return {
        "home": "/my",
        "shipments": "/my/shipments",
        "shipment": f"/my/shipments/{shipment.id}",
        "complaint": f"/my/complaints/{complaint.id}",
        "complaint_new": "/my/complaints/new",
        "quote": f"/my/quotes/{quote.id}",
        "service": "/my/service",
        "notifications": "/my/notifications",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config")
    parser.add_argument("db")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    from lcrm_bench import portal  # noqa: PLC0415 (needs Odoo configured)

    registry = Registry(args.db)
    with registry.cursor() as cr:
        pages = demo_pages(api.Environment(cr, SUPERUSER_ID, {}))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with portal.served() as base_url:
        session = portal.logged_in(base_url, args.db, "portal", "portal")
        browser = Browser()
        try:
            browser.call(
                "Network.setCookie",
                name="session_id",
                value=session.cookies["session_id"],
                url=base_url,
            )
            for size, (width, height, mobile) in SIZES.items():
                for name, path in pages.items():
                    target = OUTPUT / f"portal_{name}_{size}.png"
                    browser.capture(f"{base_url}{path}", width, height, mobile, target)
                    print(f"{target.relative_to(ROOT)}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
