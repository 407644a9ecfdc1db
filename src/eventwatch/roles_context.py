"""Whether a lexicon string fills its role where it stands: a logistic model over its context.

The role model's lexicon (``roles.RoleModel``) remembers strings that filled a role in training
reports, with a prior: the share of reports containing the string in which it did. A prior
cannot tell "the army" that attacked from "the army" that arrived afterwards; the words around
the match can ("... claimed by", "members of ...", a sentence that names an attack). This model
scores each match from its role, prior, the three words either side (in place), the words
within ten either side (as a bag), the incident type its sentence names, the sentence's place in
the report and how often the string occurs; fitted on the training split with
``roles_train.fit_filler_context``. Its probability replaces the prior of the match, so the
same lexicon thresholds apply.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Token-joined lower-cased string -> (role, prior); see ``roles.RoleModel``.
Lexicon = dict[str, tuple[str, float]]


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    """One occurrence of a lexicon string: tokens ``start:end`` of the document."""

    key: str
    role: str
    start: int
    end: int
    prior: float


def ngrams(words: Sequence[str], longest: int) -> Iterator[tuple[int, int, str]]:
    """Every run of 1 to ``longest`` tokens: (start, end, the tokens joined by spaces), the
    form lexicon keys take."""
    for start in range(len(words)):
        for end in range(start + 1, min(start + longest, len(words)) + 1):
            yield start, end, " ".join(words[start:end])


def lexicon_matches(words: Sequence[str], lexicon: Lexicon, longest: int) -> list[LexiconMatch]:
    """Every occurrence (whole tokens) of every lexicon string, overlaps included."""
    return [LexiconMatch(key, found[0], start, end, found[1])
            for start, end, key in ngrams(words, longest)
            if (found := lexicon.get(key)) is not None]


def match_features(words: Sequence[str], sentence_of: Sequence[tuple[int, str | None]],
                   match: LexiconMatch, prior: float, times: int) -> list[str]:
    """The features of ``match``; ``sentence_of[i]`` is token i's sentence number and the
    incident type that sentence names (``roles.sentence_cues``)."""
    role = match.role
    features = ["bias", f"r={role}", f"r={role}|p={min(9, int(prior * 10))}",
                f"r={role}|k={match.key}"]
    for distance in (1, 2, 3):
        left = words[match.start - distance] if match.start >= distance else "<s>"
        right = words[match.end + distance - 1] if match.end + distance <= len(words) else "</s>"
        features += [f"L{distance}={left}", f"r={role}|L{distance}={left}",
                     f"R{distance}={right}", f"r={role}|R{distance}={right}"]
    window = set(words[max(0, match.start - 10):match.start])
    window |= set(words[match.end:match.end + 10])
    features += [f"r={role}|w={word}" for word in sorted(window)]
    before = " ".join(words[max(0, match.start - 2):match.start])
    number, named = sentence_of[match.start]
    features += [f"r={role}|L12={before}", f"r={role}|cue={named}",
                 f"r={role}|sent={min(number, 4)}", f"r={role}|times={min(times, 4)}"]
    return features


@dataclass(frozen=True, slots=True)
class FillerContext:
    """Feature weights of the logistic model (features it has no weight for count 0)."""

    weights: dict[str, float]

    def probability(self, features: Sequence[str]) -> float:
        z = sum(self.weights.get(name, 0.0) for name in features)
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def score(self, words: Sequence[str], sentence_of: Sequence[tuple[int, str | None]],
              matches: list[LexiconMatch]) -> list[float]:
        """The probability that each match fills its role (matches of one document)."""
        times = Counter(match.key for match in matches)
        return [self.probability(match_features(words, sentence_of, match, match.prior,
                                                times[match.key])) for match in matches]
