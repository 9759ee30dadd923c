"""Alignment -> one self-contained HTML page: columns side by side, a summary, every group's details.

Everything is inline (no network, no fonts); the page reads well with its script disabled, and
every piece of article text goes through `html.escape`.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from align.export import origin_note
from align.listing import listed
from align.model import Alignment, Divergence, Group, Member, Sentence, Span
from align.palette import FAMILY_COLOUR, FAMILY_LABEL, KIND_FAMILY, TYPE_GLYPH, TYPE_MEANING

_BAR_WIDTH = 360


def to_html(alignment: Alignment) -> str:
    """The alignment as a standalone HTML document."""
    names = [a.name for a in alignment.articles]
    title = f"diffnews: {len(names)} articles"
    body = "\n".join([
        f"<header><h1>{escape(title)}</h1></header>",
        _summary(alignment),
        _legend(),
        _columns(alignment),
        '<aside id="details" hidden aria-live="polite"></aside>',
        _groups(alignment),
    ])
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_css()}</style>\n</head>\n"
        f"<body>\n{body}\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def _summary(alignment: Alignment) -> str:
    n = len(alignment.articles)
    everyone = sum(1 for g in alignment.groups if len(g.articles()) == n)
    unaligned = Counter(m.article for m in alignment.unaligned())
    aligned = Counter(m.article for g in alignment.groups for m in set(g.members))
    kinds = Counter(d.kind for g in alignment.groups for d in g.divergences)
    rows = "".join(
        f'<tr><td>{i + 1}</td><td class="wrap">{escape(a.name)}</td><td class="wrap">{escape(a.source)}</td>'
        f"<td>{aligned[i]}</td><td>{unaligned[i]}</td></tr>"
        for i, a in enumerate(alignment.articles)
    )
    divergences = ", ".join(f"{escape(kind)} {count}" for kind, count in kinds.most_common()) or "none"
    return (
        '<section id="summary"><h2>Summary</h2>'
        f"<p>{len(alignment.groups)} statement{'s' * (len(alignment.groups) != 1)} aligned across articles; "
        f"<strong>{everyone}</strong> made by all {n} articles. Divergences by kind: {divergences}. "
        f"Threshold {alignment.threshold:.2f}, model {escape(alignment.model)}.</p>"
        "<table><thead><tr><th>#</th><th>article</th><th>source</th><th>shared sentences</th>"
        f"<th>unique sentences</th></tr></thead><tbody>{rows}</tbody></table>"
        f"{_chart(alignment, aligned, unaligned)}</section>"
    )


def _chart(alignment: Alignment, aligned: Counter[int], unaligned: Counter[int]) -> str:
    """Shared and unique sentences per article as an inline SVG bar chart, labelled in text."""
    most = max([aligned[i] + unaligned[i] for i in range(len(alignment.articles))] + [1])
    bars = []
    for i in range(len(alignment.articles)):
        y = 8 + i * 26
        shared = _BAR_WIDTH * aligned[i] / most
        unique = _BAR_WIDTH * unaligned[i] / most
        bars.append(
            f'<text x="0" y="{y + 13}">{i + 1}</text>'
            f'<rect class="shared" x="20" y="{y}" width="{shared:.1f}" height="18"/>'
            f'<rect class="unique" x="{20 + shared:.1f}" y="{y}" width="{unique:.1f}" height="18"/>'
            f'<text x="{26 + shared + unique:.1f}" y="{y + 13}">{aligned[i]} shared, {unaligned[i]} unique</text>'
        )
    height = 16 + 26 * len(alignment.articles)
    return (
        f'<svg id="chart" role="img" viewBox="0 0 {_BAR_WIDTH + 200} {height}" '
        f'width="{_BAR_WIDTH + 200}" height="{height}" aria-label="shared and unique sentences per article">'
        f'<title>Shared (solid) and unique (hatched) sentences per article</title>'
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#E69F00" stroke-width="3"/></pattern></defs>'
        + "".join(bars) + "</svg>"
    )


def _legend() -> str:
    families = "".join(
        f'<span class="key"><span class="d f-{family}">{escape(label)}</span></span>'
        for family, label in FAMILY_LABEL.items()
    )
    types = "".join(
        f'<span class="key"><span class="t-{kind_type}">{glyph}</span> {escape(TYPE_MEANING[kind_type])}</span>'
        for kind_type, glyph in TYPE_GLYPH.items()
    )
    marks = ('<span class="key"><span class="s al">aligned</span></span>'
             '<span class="key"><span class="s un">unique</span></span>'
             '<span class="key"><span class="s bp">boilerplate</span></span>')
    return f'<p id="legend">{families} {types} {marks}</p>'


def _columns(alignment: Alignment) -> str:
    spans = _spans_by_member(alignment)
    columns = []
    for i, article in enumerate(alignment.articles):
        paragraphs: dict[int, list[str]] = {}
        for s in article.sentences:
            member = Member(i, s.index)
            paragraphs.setdefault(s.paragraph, []).append(
                _sentence(member, s, alignment.groups_of(member), spans.get(member, []))
            )
        body = "".join(f"<p>{' '.join(p)}</p>" for p in paragraphs.values())
        columns.append(
            f'<article class="column" data-article="{i}"><h2><span class="num">{i + 1}</span> '
            f'{escape(article.name)}</h2><p class="source">{escape(article.source)}</p>'
            f'<div class="body">{body}</div></article>'
        )
    return f'<main id="columns" style="--columns: {len(columns)}">{"".join(columns)}</main>'


def _spans_by_member(alignment: Alignment) -> dict[Member, list[tuple[Span, Divergence, str]]]:
    found: dict[Member, list[tuple[Span, Divergence, str]]] = {}
    for g in alignment.groups:
        for k, d in enumerate(g.divergences):
            for span in (d.a_span, d.b_span):
                if span:
                    found.setdefault(span.member, []).append((span, d, f"{g.id}-{k}"))
    return found


def _sentence(member: Member, s: Sentence, groups: tuple[Group, ...], spans: list[tuple[Span, Divergence, str]]) -> str:
    """A sentence; `data-g` lists its groups, strongest first (a sentence may make two statements)."""
    kind = "bp" if s.boilerplate else ("al" if groups else "un")
    attributes = f'class="s {kind}" id="s{member.article}-{member.sentence}"'
    if groups:
        attributes += f' data-g="{" ".join(str(g.id) for g in groups)}" tabindex="0"'
    return f"<span {attributes}>{_marked_text(s, spans)}</span>"


def _marked_text(s: Sentence, spans: list[tuple[Span, Divergence, str]]) -> str:
    """The sentence with each divergent detail in a <mark>; overlapping details merge into the first."""
    merged: list[tuple[int, int, list[tuple[Divergence, str]]]] = []
    for span, divergence, ref in sorted(spans, key=lambda x: (x[0].start, -x[0].end)):
        start, end = span.start - s.start, span.end - s.start
        if merged and start < merged[-1][1]:
            if (start, end) == merged[-1][:2]:
                merged[-1][2].append((divergence, ref))
            continue
        merged.append((start, end, [(divergence, ref)]))
    out, position = [], 0
    for start, end, items in merged:
        first = items[0][0]
        glyphs = "".join(dict.fromkeys(TYPE_GLYPH[d.type] for d, _ in items))
        title = "; ".join(f"{d.label()}: {d.type}" for d, _ in items)
        refs = " ".join(ref for _, ref in items)
        out.append(escape(s.text[position:start]))
        out.append(
            f'<mark class="d f-{KIND_FAMILY[first.kind]} t-{first.type}" data-d="{refs}" '
            f'title="{escape(title)}">{escape(s.text[start:end])}</mark>'
            f'<span class="glyph" aria-hidden="true">{glyphs}</span>'
        )
        position = end
    out.append(escape(s.text[position:]))
    return "".join(out)


def _groups(alignment: Alignment) -> str:
    names = [a.name for a in alignment.articles]
    blocks = []
    for g in alignment.groups:
        members = "".join(
            f'<li><span class="num">{m.article + 1}</span> {escape(names[m.article])}: '
            f"{escape(alignment.sentence(m).text)}</li>"
            for m in g.members
        )
        pairs = ", ".join(f"{p.a.article + 1}~{p.b.article + 1} {p.score:.2f}" for p in g.pairs)
        refs = {id(d): f"{g.id}-{k}" for k, d in enumerate(g.divergences)}
        divergences = "".join(
            f'<li class="div" data-d="{" ".join(refs[id(d)] for d in line.divergences)}">'
            f'<span class="d f-{KIND_FAMILY[line.kind]} t-{line.type}">{escape(line.label(names))}</span> {line.type}</li>'
            for line in listed(g)
        ) or "<li>no divergent details</li>"
        blocks.append(
            f'<div class="group" id="g{g.id}" data-g="{g.id}"><h3>Group {g.id + 1} '
            f"(score {g.score:.2f}{origin_note(g)})</h3><ol>{members}</ol><p class=\"pairs\">pair scores: {pairs}</p>"
            f'<ul class="divs">{divergences}</ul></div>'
        )
    return f'<section id="groups"><h2>Groups</h2>{"".join(blocks)}</section>'


def _css() -> str:
    families = "".join(
        f".f-{family}{{background:{colour}33;border-bottom-color:{colour}}}"
        for family, colour in FAMILY_COLOUR.items()
    )
    return _CSS + families


_CSS = """
:root{color-scheme:light;--sel:#cfe3ff;--ink:#1b1b1b;--muted:#666}
*{box-sizing:border-box}
body{margin:0 auto;max-width:110rem;padding:1rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:#fff}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.05rem;margin:.2rem 0}h3{font-size:1rem;margin:.4rem 0}
table{border-collapse:collapse;margin:.5rem 0;max-width:100%}td,th{border:1px solid #ccc;padding:.15rem .5rem;text-align:left}td.wrap{overflow-wrap:anywhere}
#chart{max-width:100%;height:auto}
#chart .shared{fill:#0072B2}#chart .unique{fill:url(#hatch);stroke:#E69F00}#chart text{font-size:12px;fill:var(--ink)}
#legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem}#legend .key{white-space:nowrap}
#columns{display:grid;grid-template-columns:repeat(var(--columns),minmax(15rem,1fr));gap:1rem;overflow-x:auto;margin-top:1rem}
.column{border:1px solid #ccc;border-radius:6px;padding:.5rem .8rem}
.column .source{color:var(--muted);font-size:.85rem;margin:0;word-break:break-all}
.column .body{max-height:75vh;overflow-y:auto;padding-right:.3rem}
.num{display:inline-block;min-width:1.4rem;text-align:center;border-radius:3px;background:#eee;font-weight:bold}
.s{border-radius:3px;padding:0 .1rem}
.s.al{background:#f1f1f1;border-left:3px solid #999;cursor:pointer}
.s.un{font-style:italic}.s.un::before{content:"◇ ";color:var(--muted)}
.s.bp{color:#999}
.s.hover{background:#e6eefc}
.s.sel{background:var(--sel);border-left-color:#0072B2;font-weight:600}
mark.d,span.d{color:inherit;border-bottom:2px solid;padding:0 .05rem}
.t-conflict{text-decoration:underline double}.t-variant{text-decoration:underline dotted}.t-missing{font-weight:bold}
.glyph{font-weight:bold;margin-left:1px}
mark.cur{outline:2px solid #000}
#details{position:sticky;bottom:0;max-height:30vh;overflow:auto;background:#fffbe6;border:1px solid #d9c97a;border-radius:6px;padding:.5rem 1rem;margin-top:1rem}
#groups .group{border-top:1px solid #ddd}
#groups li.cur{outline:2px solid #000}
@media (max-width:700px){#columns{grid-template-columns:1fr}.column .body{max-height:none}body{padding:.5rem}td,th{padding:.15rem .25rem}}
@media print{
 body{max-width:none;color:#000;background:#fff}
 #details{display:none}
 #columns{grid-template-columns:repeat(var(--columns),1fr);overflow:visible}
 .column .body{max-height:none;overflow:visible}
 .s.al,.s.sel{background:none;border-left:2px solid #000}
 mark.d,span.d{background:none!important;border-bottom:1px solid #000}
 .num{background:none;border:1px solid #000}
 #chart .shared{fill:#000}
 #groups{break-before:page}
}
"""

_SCRIPT = """
(function () {
  var details = document.getElementById('details');
  var groupIds = Array.prototype.map.call(document.querySelectorAll('#groups .group'), function (g) { return g.dataset.g; });
  var divRefs = Array.prototype.map.call(document.querySelectorAll('#groups li.div'), function (d) { return d.dataset.d.split(' ')[0]; });
  var current = null, currentDiv = null;
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function select(id, divRef) {
    all('.sel').forEach(function (e) { e.classList.remove('sel'); });
    all('.cur').forEach(function (e) { e.classList.remove('cur'); });
    current = id; currentDiv = divRef || null;
    if (id === null) { details.hidden = true; return; }
    var members = all('.s[data-g~="' + id + '"]');
    members.forEach(function (e) { e.classList.add('sel'); });
    var seen = {};
    members.forEach(function (e) {
      var column = e.closest('.column').dataset.article;
      if (!seen[column]) { seen[column] = true; e.scrollIntoView({block: 'nearest', inline: 'nearest'}); }
    });
    if (currentDiv) {
      all('[data-d~="' + currentDiv + '"]').forEach(function (e) { e.classList.add('cur'); });
      var mark = document.querySelector('mark[data-d~="' + currentDiv + '"]');
      if (mark) { mark.scrollIntoView({block: 'nearest'}); }
    }
    details.innerHTML = document.getElementById('g' + id).innerHTML;
    details.hidden = false;
  }
  function groupOf(sentence) {
    // its strongest group; chosen again, its next one (a sentence that makes several statements)
    var ids = sentence.dataset.g.split(' ');
    var at = ids.indexOf(current);
    return at < 0 ? ids[0] : ids[(at + 1) % ids.length];
  }
  document.addEventListener('click', function (event) {
    var sentence = event.target.closest('.s[data-g]');
    if (sentence) { select(groupOf(sentence)); }
  });
  document.addEventListener('mouseover', function (event) {
    all('.hover').forEach(function (e) { e.classList.remove('hover'); });
    var sentence = event.target.closest('.s[data-g]');
    if (sentence) {
      var id = sentence.dataset.g.split(' ')[0];
      all('.s[data-g~="' + id + '"]').forEach(function (e) { e.classList.add('hover'); });
    }
  });
  function step(list, value, by) {
    if (!list.length) { return null; }
    var at = list.indexOf(value);
    if (at < 0) { return by > 0 ? list[0] : list[list.length - 1]; }
    return list[Math.min(Math.max(at + by, 0), list.length - 1)];
  }
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === 'j' || event.key === 'k') {
      select(step(groupIds, current, event.key === 'j' ? 1 : -1));
    } else if (event.key === 'n' || event.key === 'N') {
      var ref = step(divRefs, currentDiv, event.key === 'n' ? 1 : -1);
      if (ref) { select(ref.split('-')[0], ref); }
    } else if (event.key === 'Escape') {
      select(null);
    } else if (event.key === 'Enter' && document.activeElement.matches('.s[data-g]')) {
      select(groupOf(document.activeElement));
    } else { return; }
    event.preventDefault();
  });
})();
"""
