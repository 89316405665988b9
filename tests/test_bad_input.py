"""Bad input, the way a careless integration or a hostile sender writes it:
each item gets a clear error, the good ones go through, nothing is
half-written, and nothing crashes the batch."""

import base64
from email.header import Header

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import TransactionCase, tagged

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=50),
    st.text(min_size=5000, max_size=5001),
    st.binary(max_size=20).map(lambda raw: raw.decode("latin-1")),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "9999-12-31T23:59:59",
            "0001-01-01T00:00:00",
            "2026-02-30T10:00:00",
            "Mars/Olympus_Mons",
            "'; DROP TABLE logistics_shipment; --",
        ]
    ),
)
KEYS = (
    "shipment",
    "code",
    "event_time",
    "external_id",
    "source",
    "location",
    "description",
    "new_eta",
    "exception_type",
    "tz",
)


@tagged("post_install", "-at_install")
class TestBadIngestInput(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create(
            {"name": "Fuzz Customer", "is_company": True}
        )
        cls.shipment = cls.env["logistics.shipment"].create({"partner_id": customer.id})
        cls.Event = cls.env["logistics.shipment.event"]

    def _good(self, external_id):
        return {
            "shipment": self.shipment.name,
            "code": "picked_up",
            "event_time": "2026-03-02T09:00:00Z",
            "external_id": external_id,
        }

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.one_of(
                st.dictionaries(st.sampled_from(KEYS), JUNK, max_size=len(KEYS)),
                st.builds(
                    lambda base, key, junk: {**base, key: junk},
                    st.just(
                        {
                            "shipment": "__SHIPMENT__",
                            "code": "departed",
                            "event_time": "2026-03-03T09:00:00Z",
                        }
                    ),
                    st.sampled_from(KEYS),
                    JUNK,
                ),
                JUNK,
            ),
            max_size=6,
        )
    )
    def test_junk_items_get_errors_and_good_items_go_through(self, junk):
        junk = [
            {
                key: (self.shipment.name if value == "__SHIPMENT__" else value)
                for key, value in item.items()
            }
            if isinstance(item, dict)
            else item
            for item in junk
        ]
        with self.env.cr.savepoint(flush=False) as savepoint:
            before = self.Event.search_count([])
            good = self._good(f"good-{len(junk)}-{before}")
            results = self.Event.ingest_events([*junk, good])
            self.env.flush_all()
            self.assertEqual(len(results), len(junk) + 1)
            self.assertEqual(results[-1]["status"], "created", results[-1])
            created = [r for r in results if r["status"] == "created"]
            for result in results:
                self.assertIn(result["status"], ("created", "duplicate", "error"))
                if result["status"] == "error":
                    self.assertIsInstance(result["error"], str)
                    self.assertTrue(result["error"])
            self.assertEqual(self.Event.search_count([]), before + len(created))
            for event in self.Event.browse([r["id"] for r in created]):
                self.assertLessEqual(len(event.location or ""), 5001)
            savepoint.rollback()

    def test_not_a_list(self):
        for junk in (None, "events", 42, {"shipment": "x"}):
            results = self.Event.ingest_events(junk)
            self.assertEqual(len(results), 1, junk)
            self.assertEqual(results[0]["status"], "error")


RAW = (
    "From: {sender}\r\n"
    "To: complaints@example.com\r\n"
    "{headers}"
    "MIME-Version: 1.0\r\n"
    "{body}"
)


@tagged("post_install", "-at_install")
class TestBadInboundMail(TransactionCase):
    """Odd mail reaching the complaints alias: a ticket with readable text,
    or a clean refusal with nothing created."""

    def _process(self, raw):
        return self.env["mail.thread"].message_process(
            "logistics.complaint",
            raw.encode("latin-1") if isinstance(raw, str) else raw,
        )

    def _complaint(self, complaint_id):
        complaint = self.env["logistics.complaint"].browse(complaint_id)
        self.assertTrue(complaint.exists())
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(len(complaint.sla_ids), 2)
        return complaint

    def test_chinese_subject_and_body_in_gb2312(self):
        subject = Header("货物损坏", "gb2312").encode()
        body = base64.b64encode("三个纸箱破损。".encode("gb2312")).decode()
        complaint = self._complaint(
            self._process(
                RAW.format(
                    sender="buyer@cn.example.com",
                    headers=f"Subject: {subject}\r\nMessage-ID: <gb@cn.example>\r\n",
                    body='Content-Type: text/plain; charset="gb2312"\r\n'
                    "Content-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n",
                )
            )
        )
        self.assertEqual(complaint.subject, "货物损坏")
        self.assertIn("三个纸箱破损", complaint.description)

    def test_invalid_utf8_bytes_and_no_subject_nor_message_id(self):
        raw = (
            b"From: someone@unknown.example\r\n"
            b"To: complaints@example.com\r\n"
            b"MIME-Version: 1.0\r\n"
            b'Content-Type: text/plain; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: 8bit\r\n\r\n"
            b"Broken \xff\xfe bytes <script>alert(1)</script>\r\n"
        )
        complaint = self._complaint(self._process(raw))
        self.assertTrue(complaint.subject)
        self.assertIn("Broken", complaint.description)
        self.assertNotIn("<script>", complaint.description)
        self.assertTrue(complaint.contact_id.logistics_needs_review)

    def test_big_attachment(self):
        payload = base64.encodebytes(b"\x89PNG" + b"\x00" * (3 * 1024 * 1024)).decode()
        raw = RAW.format(
            sender="buyer@big.example.com",
            headers="Subject: Photos\r\nMessage-ID: <big@big.example>\r\n",
            body='Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
            "--XX\r\nContent-Type: text/plain\r\n\r\nSee the photo.\r\n"
            "--XX\r\nContent-Type: image/png\r\n"
            'Content-Disposition: attachment; filename="crushed.png"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n" + payload + "--XX--\r\n",
        )
        complaint = self._complaint(self._process(raw))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(attachment.name, "crushed.png")
        self.assertEqual(attachment.file_size, 3 * 1024 * 1024 + 4)

    def test_no_sender_is_refused_cleanly(self):
        count = self.env["logistics.complaint"].search_count([])
        raw = (
            "To: complaints@example.com\r\nSubject: Anonymous\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHello\r\n"
        )
        try:
            self._process(raw)
        except ValueError:
            pass  # refused: that is clean too
        else:
            complaint = self.env["logistics.complaint"].search(
                [("subject", "=", "Anonymous")]
            )
            self.assertEqual(len(complaint), 1)
            self.assertEqual(len(complaint.sla_ids), 2)
        self.assertLessEqual(
            self.env["logistics.complaint"].search_count([]) - count, 1
        )
