"""The formulation as a PDF (WeasyPrint), with the same facts as the web page."""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.core.texts import current_language
from assessments.formulation.models import Formulation
from assessments.formulation.presentation import formulation_display
from assessments.patients.selectors import taper_context
from assessments.questionsets.compiled import compiled_for

STYLESHEET = Path(__file__).with_name("report.css")
FONTS = {"normal": "fonts/DejaVuSans.ttf", "bold": "fonts/DejaVuSans-Bold.ttf"}


def report_context(formulation: Formulation) -> dict:
    definition = compiled_for(formulation.question_set_version).definition
    context = formulation_display(formulation=formulation, definition=definition, language=current_language())
    interview = formulation.interview
    assert interview is not None  # a report is of a stored formulation, which has one
    try:
        review = formulation.review
    except ObjectDoesNotExist:
        review = None
    context.update(
        taper=taper_context(
            entries=interview.session.patient.medication_entries.all(),
            date=interview.session.date,
            answers=interview.answers,
        ),
        formulation=formulation,
        interview=interview,
        patient=interview.session.patient,
        endorsement=review if review is not None and review.status == review.Status.ENDORSED else None,
        review=review,
        generated_at=timezone.now(),
    )
    return context


def render_pdf(formulation: Formulation) -> bytes:
    # Imported here: the web process never pays for loading WeasyPrint and Pango.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string("reports/formulation_pdf.html", report_context(formulation))
    fonts = FontConfiguration()
    fetcher = _fonts_only_fetcher()
    css = CSS(string=_font_faces() + STYLESHEET.read_text(), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css], font_config=fonts)


def _bundled(relative: str) -> Path:
    found = finders.find(relative)
    if not isinstance(found, str):
        raise FileNotFoundError(relative)  # a broken install, not a user error
    return Path(found)


def _font_faces() -> str:
    # Bundled fonts, so Polish letters render the same on every machine.
    rules = []
    for weight, relative in FONTS.items():
        path = _bundled(relative)
        source = f'url("{path.as_uri()}")'
        rules.append(f'@font-face {{ font-family: "Zeus Sans"; font-weight: {weight}; src: {source}; }}\n')
    return "".join(rules)


def _fonts_only_fetcher():
    """A fetcher for nothing but the bundled fonts: the report never reaches the network."""
    from weasyprint.urls import URLFetcher

    root = _bundled(FONTS["normal"]).parent.resolve()

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme != "file" or not Path(unquote(parsed.path)).resolve().is_relative_to(root):
                raise ValueError("only the bundled fonts may be loaded")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])
