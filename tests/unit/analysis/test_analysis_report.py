"""The HTML report: every chart embedded, captions present, nothing fetched from the network."""

import base64
import re

import pytest

from airline.analysis.report import build_report

CHART_TITLES = [
    "Carrier ranking",
    "Monthly trend",
    "Cascade rate vs turnaround band",
    "Top 20 worst routes",
    "Delay propagation share",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report_html(generated_features_dir, tmp_path_factory) -> str:
    out = build_report(generated_features_dir, tmp_path_factory.mktemp("report") / "nested" / "report.html")
    return out.read_text(encoding="utf-8")


def test_report_embeds_five_png_charts(report_html):
    # When the images are decoded
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', report_html)

    # Then there are five real PNGs
    assert len(images) == 5
    assert report_html.count('<img src="data:image/png;base64,') == 5
    assert all(base64.b64decode(image).startswith(PNG_SIGNATURE) for image in images)


def test_report_has_a_titled_captioned_section_per_chart(report_html):
    # Then
    for title in CHART_TITLES:
        assert f"<h2>{title}</h2>" in report_html
    captions = re.findall(r"<figcaption>(.+?)</figcaption>", report_html)
    assert len(captions) == 5
    assert all(len(caption) > 40 for caption in captions)


def test_report_needs_no_network(report_html):
    # Then no URL, protocol-relative source, external stylesheet or script
    assert "http://" not in report_html
    assert "https://" not in report_html
    assert 'src="//' not in report_html
    assert "<script" not in report_html
    assert "<link" not in report_html
    assert "@import" not in report_html
    assert "url(" not in report_html


def test_report_summary_header_gives_flights_date_range_and_cascade_rate(report_html):
    # Then the generated snapshot's 3,000 flights from 2024-01-01 to 2024-03-28 are summarised
    assert "<b>3,000</b>flights" in report_html
    assert "2024-01-01 to 2024-03-28" in report_html
    assert re.search(r"<b>\d+\.\d%</b>overall cascade rate", report_html)


def test_report_renders_placeholder_charts_when_no_route_reaches_the_minimum_volume(
    tmp_path, features_dir_from, flight
):
    # Given a tiny snapshot (no route has 50 flights, nobody departs late)
    features_dir = features_dir_from([flight(carrier="AA", arrdelay=5.0), flight(carrier="DL", arrdelay=20.0)])

    # When
    html = build_report(features_dir, tmp_path / "small.html").read_text(encoding="utf-8")

    # Then every chart is still present and the captions say why they are empty
    assert html.count('<img src="data:image/png;base64,') == 5
    assert "No route has at least 50 flights" in html
    assert "No flight departed late." in html
