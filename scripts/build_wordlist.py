"""Build nlp/calfnlp/rules/common_words.txt: real English words that are within two edits of a word in the
symptom catalogue ("cold" and "hold", "numb" and "dumb"). The spelling step never "corrects" these.

Source: the English word-frequency list shipped with pyspellchecker (MIT licence), used only here, at
build time (`pip install pyspellchecker`); calfnlp does not depend on it. We keep words that occur at least
MIN_COUNT times in that list.
"""
import gzip
import json
from importlib import resources
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from calfnlp.components import fuzzy_vocabulary

MIN_COUNT = 300
# slang the frequency list lacks that the speller would otherwise "correct" into a finding (buggery -> bigger)
EXTRA = {"buggery", "buggered", "buggering", "rellies", "skint", "fecking", "bludger", "defo", "rofl",
         "splint", "splints",  # "shin splints" is not "shin sprints"
         "blotch"}  # "a red blotch on the calf" is not "blotchy" (mottled, a pale_cold_foot word)
out = Path(__file__).resolve().parents[1] / "nlp" / "calfnlp" / "rules" / "common_words.txt"
freq = json.loads(gzip.decompress(resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()))
vocab = sorted(fuzzy_vocabulary())
keep = []
for word, count in freq.items():
    if count < MIN_COUNT or not word.isalpha() or len(word) < 4 or word in vocab:
        continue
    if process.extractOne(word, vocab, scorer=Levenshtein.distance, score_cutoff=2) is not None:
        keep.append(word)
out.write_text("# Real English words close to catalogue words; see scripts/build_wordlist.py\n"
               + "\n".join(sorted(set(keep) | EXTRA)) + "\n", encoding="utf-8")
print(f"{out}: {len(keep)} words (vocabulary {len(vocab)})")
