"""Generated news pages in HTML markup, in the seven layouts of pages.py, and their gold.

The captions are the same Tatoeba slices as pages.py draws; only the markup differs.
Each layout becomes what news sites print:

  sample     <figure>: Hebrew alt (and title, and a <noscript> copy), English
             <figcaption> with a credit <span>                               -> pair
  en_only    <figure>: English alt and the same English figcaption          -> none
  he_only    <figure>: Hebrew alt, a figcaption holding only a credit        -> none
  block      a swiper gallery: one slide per photo with its Hebrew alt, and the
             English captions in a separate list, in another order          -> pairs
  one_line   <figure>: an empty alt, "HE | EN" in the figcaption            -> pair
  mismatch   <figure>: Hebrew alt of one photo, English figcaption of another -> none
  quoted     a <p> quoting the Hebrew inside English                         -> none

Pages also carry navigation, a script whose JSON holds Hebrew captions of other
pages, share buttons and a footer, none of which may ever be read as text.

    python benchmarks/html_pages.py --pages 200 --seed 1 --out /tmp/html-pages
"""
from __future__ import annotations

import json
import os
import sys
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pages  # noqa: E402
from pages import LAYOUTS, PageMaker, slice_pool, write_pages  # noqa: E402


class HtmlPageMaker(PageMaker):
    """PageMaker whose galleries are HTML figures and sliders."""

    def figure(self, alt: str, caption: str, credit: str | None = None, copies: int = 0) -> str:
        credit_html = f' <span class="credit">{escape(credit)}</span>' if credit else ""
        extra = "".join(f'<noscript><img src="/i/{self.rng.randint(1, 9999)}.jpg" alt={quoteattr(alt)}>'
                        "</noscript>" for _ in range(copies))
        return (f'<figure class="article-image"><img class="lazyload" data-src="/i/'
                f'{self.rng.randint(1, 9999)}.jpg" alt={quoteattr(alt)}>{extra}'
                f"<figcaption>{escape(caption)}{credit_html}</figcaption></figure>")

    def html_gallery(self, layout: str) -> tuple[str, list[tuple[str, str]]]:
        rng = self.rng
        if layout == "sample":
            he, en = self.take()
            return self.figure(he, en, self.credit(), copies=rng.randint(0, 2)), [(he, en)]
        if layout == "en_only":
            en = self.take()[1]
            return self.figure(en, en, self.credit()), []
        if layout == "he_only":
            he = self.take()[0]
            return self.figure(he, "", self.credit()), []
        if layout == "block":
            pairs = [self.take() for _ in range(rng.randint(2, 4))]
            english = [e for _, e in pairs]
            while len(english) > 1 and english == [e for _, e in pairs]:
                rng.shuffle(english)
            slides = "".join(f'<div class="swiper-slide"><img data-lazy-src="/g/{k}.jpg" '
                             f'alt={quoteattr(h)}></div>' for k, (h, _) in enumerate(pairs))
            captions = "".join(f"<li>{escape(e)}</li>" for e in english)
            return (f'<div class="gallery swiper"><div class="swiper-wrapper">{slides}</div>'
                    f'<ol class="gallery-captions">{captions}</ol>'
                    f'<div class="gallery-count">{escape(self.marker())}</div></div>'), pairs
        if layout == "one_line":
            he, en = self.take()
            return self.figure("", f"{he} | {en}", self.credit()), [(he, en)]
        if layout == "mismatch":
            he, en = self.take()[0], self.take()[1]
            return self.figure(he, en, self.credit()), []
        if layout == "quoted":
            he = self.take()[0].rstrip(".!?")
            return f"<p>The banner read \u201c{escape(he)}\u201d in large letters. {escape(self.paragraph(24))}</p>", []
        raise ValueError(layout)

    def html_page(self, layouts: list[str], decoys: list[str]) -> tuple[str, list[tuple[str, str]]]:
        title = escape(self.rng.choice(self.body).rstrip(".!?"))
        script = json.dumps({"@type": "NewsArticle", "image": [{"caption": d} for d in decoys]},
                            ensure_ascii=False)
        parts = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
                 f"<title>{title}</title>",
                 f'<script type="application/ld+json">{script}</script></head><body>',
                 '<header><nav><ul><li><a href="/">חדשות</a></li><li><a href="/w">World</a></li>'
                 "</ul></nav></header><main><article>",
                 f"<h1>{title}</h1>", f"<p>{escape(self.paragraph())}</p>"]
        gold = []
        for layout in layouts:
            parts.append(f"<p>{escape(self.paragraph())}</p>")
            html, pairs = self.html_gallery(layout)
            parts.append(html)
            gold += pairs
        parts += [f"<p>{escape(self.paragraph())}</p>",
                  '<div class="share"><button>Share</button><a href="#">Twitter</a></div>',
                  "</article></main><footer><p>Comments</p></footer></body></html>"]
        return "\n".join(parts) + "\n", gold


def make_html_pages(slice_name: str, n_pages: int, seed: int, pool=None):
    """Yield ``(name, html, gold, layouts)``; layouts drawn as pages.py draws them."""
    maker = HtmlPageMaker(slice_pool(slice_name, pool), seed)
    decoys = [h for h, _ in maker.pairs[:50]]  # Hebrew in scripts: never to be read
    for k in range(n_pages):
        first = LAYOUTS[k % len(LAYOUTS)]
        others = maker.rng.sample(LAYOUTS, maker.rng.randint(1, 3))
        layouts = [first] + others
        maker.rng.shuffle(layouts)
        html, gold = maker.html_page(layouts, maker.rng.sample(decoys, 3))
        yield f"page-{slice_name}-{seed}-{k:04d}.html", html, gold, layouts


def write_html_pages(out: str, slice_name: str, n_pages: int, seed: int) -> None:
    """``NAME.html`` pages under ``out`` with ``gold.jsonl`` and ``pages.jsonl``."""
    write_pages(out, slice_name, n_pages, seed, make=make_html_pages)


def main(argv=None) -> int:
    return pages.main(argv, make=make_html_pages, description=__doc__)


if __name__ == "__main__":
    sys.exit(main())
