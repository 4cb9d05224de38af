"""Words as the search sees them (ADR 0108): normalising text, cutting Chinese into words with
jieba and the portal's own dictionary of service terms (``terms.txt``), pinyin and initials with
pypinyin, and English words reduced to a common form.

The same functions cut the items' documents and the citizens' queries, so both sides agree on
what a word is."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

TERMS = Path(__file__).resolve().parent / "terms.txt"

#: A run of Chinese characters, or of Latin letters and digits (an English word, pinyin, a code).
CHUNK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([a-z0-9]+(?:-[a-z0-9]+)*)")
HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")

#: Words that say nothing about which service is meant ("我想办", "怎么申请").
CHINESE_STOPWORDS = frozenset(
    """
    我 想 要 去 在 的 了 吗 呢 啊 吧 个 能 会 和 与 及 或 把 给 让 从 到 是 有 办 请问 怎么 怎样
    如何
    哪里 哪儿 在哪 在哪里 什么 需要 可以 能否 一下 一个 办理 申请 手续 流程 怎么办 怎么样 哪些 多久
    多少 我们 我要 我想 想要 自己 一般
    """.split()  # noqa: SIM905  (a list of words reads best as words)
)
ENGLISH_STOPWORDS = frozenset(
    """
    a an the of for and or to in on by with at from as is are my i me we how do does can get
    want need apply
    """.split()  # noqa: SIM905
)
#: American spellings and a few plain words in the catalogue's British English.
ENGLISH_FORMS = {
    "license": "licence",
    "licenses": "licence",
    "licensing": "licence",
    "center": "centre",
    "centers": "centre",
    "enrollment": "enrolment",
    "enroll": "enrolment",
    "program": "programme",
}

_tokenizer = None
_lock = threading.Lock()


def normalise(text: str) -> str:
    """Full-width forms to their plain ones (ＡＢＣ１２３ → abc123), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def is_han(text: str) -> bool:
    return bool(HAN.match(text))


def chunks(text: str) -> Iterator[tuple[bool, str]]:
    """(is Chinese, run) for each run of Chinese characters or of Latin letters and digits."""
    for match in CHUNK.finditer(normalise(text)):
        han, latin = match.groups()
        yield (True, han) if han else (False, latin)


def tokenizer():
    """jieba's tokenizer with the default dictionary and the portal's terms, built once per
    process (about a second: jieba keeps its prefix dictionary in a cache file)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                # jieba logs its dictionary loading at DEBUG level through a handler of its own
                jieba.setLogLevel(logging.WARNING)
                instance = jieba.Tokenizer()
                instance.initialize()
                with open(TERMS, "rb") as terms:
                    instance.load_userdict(terms)
                _tokenizer = instance
    return _tokenizer


def add_words(words: Iterable[str]) -> None:
    """Make jieba keep ``words`` whole (staff's synonyms: 生孩子, 开饭店)."""
    cutter = tokenizer()
    for word in words:
        if is_han(word) and cutter.FREQ.get(word, 0) == 0:
            cutter.add_word(word, freq=max(cutter.suggest_freq(word, tune=False), 100))


def cut(text: str) -> list[str]:
    """The words of a Chinese run, jieba's precise mode with the portal dictionary, no guessing
    of unknown words (an unknown pair of characters stays two characters)."""
    return list(tokenizer().cut(text, HMM=False))


def cut_for_search(text: str) -> list[str]:
    """The words of a Chinese run and the shorter words inside the long ones (有限责任公司 →
    有限, 责任, 公司, 有限责任公司)."""
    return list(tokenizer().cut_for_search(text, HMM=False))


def bigrams(text: str) -> list[str]:
    """Every pair of neighbouring characters: 结婚登记 → 结婚, 婚登, 登记."""
    return [text[i : i + 2] for i in range(len(text) - 1)]


@lru_cache(maxsize=65536)
def pinyin(word: str) -> tuple[str, str]:
    """(full pinyin, initials) of a Chinese word, without tones: 社保 → (shebao, sb)."""
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore"))
    return full, initials


def english(word: str) -> str:
    """A common form of an English word: licences, license → licence; subsidies → subsidy."""
    word = ENGLISH_FORMS.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return ENGLISH_FORMS.get(word, word)


def latin_tokens(run: str) -> list[str]:
    """Tokens of a run of letters and digits: an item code also by its parts and its tail
    (37020000-xk-0001 → the whole, 37020000, xk, 0001, xk-0001), a word in its common form."""
    if "-" in run:
        parts = run.split("-")
        tails = ["-".join(parts[i:]) for i in range(len(parts))]
        return [*dict.fromkeys([*tails, *parts])]
    if run.isdigit():
        return [run]
    return [english(run)]
