"""The inline style sheet of the printable report: A4 pages, repeated table headers, no external fonts."""

from __future__ import annotations


def css_string(text: str) -> str:
    """Quote text as a CSS string; every character but letters, digits and -_/.: is escaped.

    The escaping also keeps a value from closing the <style> element.
    """
    safe = "".join(ch if ch.isalnum() or ch in "-_/.:" else f"\\{ord(ch):06x}" for ch in text)
    return f'"{safe}"'


def page_rule(header: str, lang: str) -> str:
    """Return the @page rule: A4, margins, the header text top right and page numbers at the bottom."""
    if lang == "en":
        footer = '"Page " counter(page) " of " counter(pages)'
    else:
        footer = '"第 " counter(page) " 页，共 " counter(pages) " 页"'
    return (
        "@page {\n"
        "  size: A4;\n"
        "  margin: 18mm 16mm 20mm 16mm;\n"
        f"  @top-right {{ content: {css_string(header)}; font-size: 8pt; color: #555; }}\n"
        f"  @bottom-center {{ content: {footer}; font-size: 8pt; color: #555; }}\n"
        "}\n"
    )


# Fonts are those a government office machine usually has (SimSun and SimHei on
# Windows, Songti on macOS, Noto CJK or WenQuanYi on Linux); nothing is fetched.
STYLE = """
:root {
  font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", "WenQuanYi Micro Hei", serif;
  font-size: 10.5pt;
  line-height: 1.5;
  color: #000;
}
body { margin: 0 auto; max-width: 180mm; padding: 8mm 0; }
h1, h2, h3 {
  font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  break-after: avoid;
  page-break-after: avoid;
}
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
h1:lang(zh) { letter-spacing: 0.1em; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; }
p.note { font-size: 9pt; color: #333; margin: 1mm 0; }
table { width: 100%; border-collapse: collapse; margin: 0 0 2mm; table-layout: fixed; }
th, td { overflow-wrap: break-word; }
th, td { border: 1px solid #444; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: bold; }
thead { display: table-header-group; }
tr, tbody.item { break-inside: avoid; page-break-inside: avoid; }
table.facts th { width: 24%; }
table.sources, table.items, table.answers, table.totals { font-size: 9.5pt; }
.nowrap { white-space: nowrap; }
td.number, th.number { text-align: right; white-space: nowrap; }
td.id-number { font-family: "Courier New", monospace; white-space: nowrap; }
ul.fields { list-style: none; margin: 0; padding: 0; }
ul.fields li { margin: 0; }
.status-bad { font-weight: bold; }
.incomplete { font-size: 9pt; }
section.member { margin-top: 5mm; }
th.member-heading {
  background: #fff;
  border: none;
  border-bottom: 1px solid #000;
  padding: 0 0 1mm;
  font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  font-size: 11pt;
}
section.totals { break-inside: avoid; page-break-inside: avoid; }
section.signatures { break-inside: avoid; page-break-inside: avoid; margin-top: 8mm; }
table.signatures td { border: none; padding: 4mm 2mm; }
table.signatures .line { display: inline-block; min-width: 45mm; border-bottom: 1px solid #000; }
td.seal { width: 45%; height: 40mm; border: 1px dashed #666 !important; text-align: center; vertical-align: middle; }
@media print {
  body { max-width: none; padding: 0; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
