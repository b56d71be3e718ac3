"""Same-story caption pages: every caption and body sentence of a page from one story.

Tatoeba pages (pages.py) put captions about unrelated things side by side, so a wrong
partner is easy to reject. On a real news page every caption belongs to one story.
These pages draw every caption of a page from one FLORES article, then from articles
of the same topic (flores.py), and their body paragraphs from that topic too. Layouts:
the seven of pages.py, and two more that only same-story pages make hard:

  split        a Hebrew-only gallery, body text, then an English-only gallery of
               another photo of the story                                   -> none
  story_block  a block of 3-4 captions of the story, English in another order -> pairs

(``mismatch``, a Hebrew caption beside the English of another photo, is the third:
here its two captions share a story.) Pages come from one half of the article split
(``--half fit`` for fitting, ``--half eval`` for figures), never both.

    python benchmarks/story_pages.py --half eval --pages 200 --seed 1 --out /tmp/story
"""
from __future__ import annotations

import argparse
import sys

import flores
from pages import LAYOUTS, PageMaker
from pages import main as pages_main

STORY_LAYOUTS = LAYOUTS + ["split", "story_block"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
PHOTO_NOTES = [" (archive photo)", ", in a handout photo", " (illustration)", " (file photo)",
               ", seen in an undated photo"]


def caption_addition(rng, en: str) -> str:
    """``en`` with what an English caption often adds and its Hebrew alt text lacks:
    an AP-style dateline or a note on the photo. A translation stays a translation."""
    body, stop = (en[:-1], en[-1]) if en[-1:] in ".!?" else (en, ".")
    if rng.random() < 0.6:
        extra = f", {rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2015, 2025)}"
    else:
        extra = rng.choice(PHOTO_NOTES)
    return body + extra + stop
# Most caption pairs each layout takes (a block takes up to four).
NEEDS = {"sample": 1, "en_only": 1, "he_only": 1, "block": 4, "one_line": 1, "mismatch": 2,
         "quoted": 1, "split": 2, "story_block": 4}


class StoryMaker(PageMaker):
    """A PageMaker that draws each page's captions and body from one story."""

    def __init__(self, sentences: list[flores.Sentence], seed: int, additions: float = 0.0):
        usable = [s for s in sentences if flores.caption_like(s)]
        super().__init__([(s.he, s.en) for s in usable], seed)
        self.additions = additions  # share of English captions given a dateline or photo note
        self.by_article = flores.articles(usable)
        self.by_topic = flores.topics(usable)
        self.everything = usable
        self.borrowed = 0  # captions taken from outside the story when it ran out

    def start_story(self, need: int = 0) -> str:
        """Pick an article whose story (the article, then its topic) holds at least
        ``need`` sentences besides two for the body; its sentences come first."""
        def size(url: str) -> int:
            return len(self.by_topic[self.by_article[url][0].topic] or self.by_article[url])
        urls = sorted(self.by_article)
        big = [u for u in urls if size(u) >= need + 2]
        url = self.rng.choice(big or urls)
        article = list(self.by_article[url])
        topic = [s for s in self.by_topic[article[0].topic] if s.url != url]
        self.rng.shuffle(article)
        self.rng.shuffle(topic)
        story = article + topic
        self.pairs = [(s.he, s.en) for s in reversed(story)]  # take() pops from the end
        self.body = [s.en for s in topic] or [s.en for s in article]
        self.in_body: set[str] = set()
        self.in_captions: set[str] = set()
        return url

    def take(self) -> tuple[str, str]:
        """The story's next caption pair whose English is not in a body paragraph."""
        while self.pairs:
            he, en = self.pairs.pop()
            if en not in self.in_body:
                self.in_captions.add(en)
                if self.additions and self.rng.random() < self.additions:
                    en = caption_addition(self.rng, en)
                return he, en
        self.borrowed += 1  # a small topic ran out: borrow from the half at large
        spare = [s for s in self.everything if s.en not in self.in_body | self.in_captions]
        s = self.rng.choice(spare)
        self.in_captions.add(s.en)
        return s.he, s.en

    def title(self) -> str:
        """A body sentence of the story as the title (so it is never a caption)."""
        return self.paragraph(1).rstrip(".!?")

    def paragraph(self, min_words: int = 38) -> str:
        """Body sentences of the story, never the English of a caption of the page."""
        choices = [e for e in self.body if e not in self.in_captions]
        if not choices:
            choices = [s.en for s in self.everything if s.en not in self.in_captions]
        words, sentences = 0, []
        while words < min_words:
            sentence = self.rng.choice(choices)
            sentences.append(sentence)
            self.in_body.add(sentence)
            words += len(sentence.split())
        return " ".join(sentences)

    def gallery(self, layout: str) -> tuple[list[str], list[tuple[str, str]]]:
        if layout == "split":
            he, en = self.take()[0], self.take()[1]
            lines = [self.marker(), *[he] * self.rng.randint(1, 2), self.credit(),
                     self.paragraph(), self.marker(), *[en] * self.rng.randint(1, 2), self.credit()]
            return lines, []
        if layout == "story_block":
            pairs = [self.take() for _ in range(self.rng.randint(3, 4))]
            english = [e for _, e in pairs]
            while english == [e for _, e in pairs]:
                self.rng.shuffle(english)
            return [self.marker(), *[h for h, _ in pairs], *english,
                    *[self.credit() for _ in pairs]], pairs
        return super().gallery(layout)


def make_story_pages(half: str, n_pages: int, seed: int, sentences=None, additions: float = 0.0):
    """Yield ``(name, text, gold, layouts)``: every layout in every run of nine pages,
    two to four galleries a page, all captions of a page from one story; ``additions``
    of the English captions get a dateline or a photo note (``caption_addition``)."""
    maker = StoryMaker(flores.half(half, sentences), seed, additions)
    for k in range(n_pages):
        first = STORY_LAYOUTS[k % len(STORY_LAYOUTS)]
        layouts = [first] + maker.rng.sample(STORY_LAYOUTS, maker.rng.randint(1, 3))
        maker.rng.shuffle(layouts)
        maker.start_story(sum(NEEDS[layout] for layout in layouts))
        text, gold = maker.page(layouts)
        yield f"story-{half}-{seed}-{k:04d}.txt", text, gold, layouts
    if maker.borrowed:
        print(f"{maker.borrowed} captions came from outside their page's story "
              "(its topic ran out)", file=sys.stderr)


LISTING_ITEMS = (12, 40)   # images on a listing page
LISTING_KINDS = {"translation": 0.7, "other_caption": 0.2, "english_only": 0.1}


def make_listing_pages(half: str, n_pages: int, seed: int, sentences=None,
                       additions: float = 0.0):
    """Yield ``(name, text, gold, layouts)`` for listing pages: 12 to 40 images, each
    with a Hebrew caption and an English caption from many stories, as a news
    section's front page shows them. Most images carry a caption and its
    translation; a fifth carry, as Hebrew, another caption of the same story (no
    pair: same story, other content); a tenth have English only. Stories repeat
    across images, so names do too."""
    usable = [s for s in flores.half(half, sentences) if flores.caption_like(s)]
    by_article = {u: v for u, v in flores.articles(usable).items() if len(v) >= 2}
    urls = sorted(by_article)
    maker = PageMaker([(s.he, s.en) for s in usable], seed)
    rng = maker.rng
    kinds, weights = zip(*LISTING_KINDS.items())
    for k in range(n_pages):
        stories = rng.sample(urls, rng.randint(4, 10))
        lines, gold, used = [maker.title(), ""], [], set()
        for _ in range(rng.randint(*LISTING_ITEMS)):
            article = by_article[rng.choice(stories)]
            s = rng.choice(article)
            if s.en in used:
                continue
            used.add(s.en)
            kind = rng.choices(kinds, weights)[0]
            en = caption_addition(rng, s.en) if additions and rng.random() < additions else s.en
            if kind == "translation":
                he = s.he
                gold.append((s.he, en))
            elif kind == "other_caption":
                he = rng.choice([o for o in article if o is not s]).he
            else:
                he = None
            lines += [maker.marker(), *([he] if he else []), en, maker.credit(),
                      maker.paragraph(12)]
        yield f"listing-{half}-{seed}-{k:04d}.txt", "\n".join(lines) + "\n", gold, ["listing"]


def main(argv=None) -> int:
    """Command line: as pages.py, with ``--half`` in place of ``--slice``."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--half", choices=flores.HALVES, default="eval")
    args, rest = parser.parse_known_args(argv)
    return pages_main(["--slice", "benchmark", *rest],
                      make=lambda _slice, n, seed: make_story_pages(args.half, n, seed),
                      description=__doc__)


if __name__ == "__main__":
    sys.exit(main())
