from django.urls import reverse

from tests.factories import patient_for


def test_it_sends_a_strict_content_security_policy(login, clinician):
    response = login(clinician).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_it_forbids_framing_and_sends_a_referrer_policy(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_never_lets_pages_with_patient_data_be_cached(login, clinician):
    patient = patient_for(clinician)
    response = login(clinician).get(reverse("patient-detail", args=[patient.uuid]))
    assert "no-store" in response["Cache-Control"]


def test_it_keeps_templates_free_of_inline_script_and_handlers():
    import re

    from tests.helpers import ROOT

    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            attrs = match.group("attrs")
            assert "src=" in attrs or "application/json" in attrs, f"inline script in {path}"
        assert not re.search(r"\son[a-z]+=\"", text), f"inline event handler in {path}"
        assert "hx-on" not in text, f"hx-on in {path}"
