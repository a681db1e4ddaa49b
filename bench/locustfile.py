"""The production drill's mixed workload (bench/production_drill.py runs it).

DRILL_MIX=mixed: public pages, SME intake (a complaint filed and submitted
through the API), officials' lists (API) and the supervision dashboard (web
session); DRILL_MIX=bare: the bare page only (/healthz, no database), the
baseline of the same stack. Tokens and the session are made once by the drill
(the token throttle would refuse one per simulated user) and passed in the
environment.
"""

import json
import os
import uuid

from locust import FastHttpUser, constant_throughput, tag, task

# Each simulated user sends at most this many requests a second; the drill
# sets the rate by the number of users.
PER_USER_RATE = 2.0


def complaint_body() -> str:
    return json.dumps(
        {
            "submit": True,
            "debtor": {
                "uscc": "91440104700000044X",
                "name": "广东粤海城建集团有限公司",
                "type": "large",
                "region_code": "440104",
            },
            "contract_number": f"DRILL-{uuid.uuid4().hex[:12]}",
            "contract_signed_on": "2025-03-01",
            "subject": "goods",
            "delivered_on": "2025-06-30",
            "payment_due_on": "2025-08-29",
            "amount_owed": "128000.00",
            "amount_paid": "28000.00",
            "request_text": "请求支付拖欠货款。",
            "facts_text": "已交货验收，对方逾期未付。",
            "undertaking": True,
            "sme_notified_at_signing": "yes",
        },
        ensure_ascii=False,
    )


class Visitor(FastHttpUser):
    wait_time = constant_throughput(PER_USER_RATE)

    def on_start(self):
        self.sme = {"Authorization": f"Bearer {os.environ.get('DRILL_SME_TOKEN', '')}"}
        self.official = {"Authorization": f"Bearer {os.environ.get('DRILL_OFFICIAL_TOKEN', '')}"}
        self.session = {"Cookie": f"sessionid={os.environ.get('DRILL_SUPERVISOR_SESSION', '')}"}

    @tag("mixed")
    @task(4)
    def public_pages(self):
        self.client.get("/", name="public: home")
        self.client.get("/public/statistics/", name="public: statistics")

    @tag("mixed")
    @task(1)
    def sme_intake(self):
        headers = {**self.sme, "Content-Type": "application/json"}
        self.client.post(
            "/api/v1/complaints/",
            complaint_body().encode(),
            headers=headers,
            name="SME: file a complaint",
        )

    @tag("mixed")
    @task(2)
    def official_lists(self):
        self.client.get("/api/v1/complaints/", headers=self.official, name="official: complaints")
        self.client.get("/api/v1/ledger/items/", headers=self.official, name="official: ledger")

    @tag("mixed")
    @task(1)
    def dashboard(self):
        self.client.get("/supervision/", headers=self.session, name="supervisor: dashboard")

    @tag("bare")
    @task(1)
    def bare(self):
        self.client.get("/healthz", name="bare page")
