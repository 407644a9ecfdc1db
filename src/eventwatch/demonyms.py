"""Adjectives of nationality ("Iraqi", "Israelis") and the countries they name.

Used twice: as evidence of the countries a document is about (``geocode.document_context``) and,
by the geoparser only, as country places of their own (``geocode.find_demonyms``). The people of a
state or a region ("Ohioans", "Texans", "South Ossetian", "Dagestani") have no table: their
possible stems are looked up among the gazetteer's divisions (``demonym_stems``).
"""

from __future__ import annotations

import re

__all__ = ["DEMONYM_WORD", "demonym_country", "demonym_stems"]

_DEMONYMS = {
    "afghan": "AF", "afghans": "AF", "pakistani": "PK", "iraqi": "IQ", "syrian": "SY",
    "somali": "SO", "nigerian": "NG", "malian": "ML", "burkinabe": "BF", "yemeni": "YE",
    "sudanese": "SD", "congolese": "CD", "kenyan": "KE", "ethiopian": "ET", "mozambican": "MZ",
    "indian": "IN", "colombian": "CO", "filipino": "PH", "philippine": "PH", "israeli": "IL",
    "palestinian": "PS", "lebanese": "LB", "iranian": "IR", "turkish": "TR", "ukrainian": "UA",
    "russian": "RU", "libyan": "LY", "egyptian": "EG", "cameroonian": "CM", "nigerien": "NE",
    "chadian": "TD", "salvadoran": "SV", "salvadorean": "SV", "peruvian": "PE",
    "guatemalan": "GT", "honduran": "HN", "nicaraguan": "NI", "mexican": "MX", "tajik": "TJ",
    "uzbek": "UZ", "bangladeshi": "BD", "burmese": "MM", "myanmar": "MM", "haitian": "HT",
    "venezuelan": "VE", "ecuadorian": "EC", "bolivian": "BO", "chilean": "CL",
    "mauritanian": "MR", "algerian": "DZ", "tunisian": "TN", "moroccan": "MA",
    "ugandan": "UG", "rwandan": "RW", "burundian": "BI", "south sudanese": "SS",
    "american": "US", "british": "GB", "chinese": "CN", "japanese": "JP", "canadian": "CA",
    "german": "DE", "french": "FR", "italian": "IT", "spanish": "ES", "cuban": "CU",
    "brazilian": "BR", "argentine": "AR", "argentinian": "AR", "australian": "AU",
    "saudi": "SA", "jordanian": "JO", "qatari": "QA", "emirati": "AE", "kuwaiti": "KW",
    "greek": "GR", "polish": "PL", "dutch": "NL", "swedish": "SE", "norwegian": "NO",
    "irish": "IE", "vietnamese": "VN", "thai": "TH", "indonesian": "ID", "malaysian": "MY",
    "nepalese": "NP", "sri lankan": "LK", "kazakh": "KZ", "kyrgyz": "KG", "turkmen": "TM",
    "azerbaijani": "AZ", "armenian": "AM", "belarusian": "BY", "serbian": "RS",
    "croatian": "HR", "bosnian": "BA", "albanian": "AL", "romanian": "RO", "hungarian": "HU",
    "czech": "CZ", "austrian": "AT", "swiss": "CH", "belgian": "BE", "portuguese": "PT",
    "danish": "DK", "finnish": "FI", "jamaican": "JM", "south african": "ZA",
    "zimbabwean": "ZW", "zambian": "ZM", "tanzanian": "TZ", "senegalese": "SN",
    "ghanaian": "GH", "ivorian": "CI", "liberian": "LR", "angolan": "AO", "eritrean": "ER",
    "omani": "OM", "bahraini": "BH", "north korean": "KP", "south korean": "KR",
    "georgian": "GE", "cypriot": "CY", "estonian": "EE", "latvian": "LV", "lithuanian": "LT",
    "slovak": "SK", "slovenian": "SI", "bulgarian": "BG", "moldovan": "MD", "icelandic": "IS",
    "mongolian": "MN", "cambodian": "KH", "laotian": "LA", "taiwanese": "TW", "singaporean": "SG",
    "new zealand": "NZ", "kiwi": "NZ", "kosovar": "XK", "macedonian": "MK",
    "montenegrin": "ME", "sierra leonean": "SL", "gambian": "GM", "guinean": "GN",
    "beninese": "BJ", "togolese": "TG", "namibian": "NA", "botswanan": "BW", "malawian": "MW",
    "djiboutian": "DJ", "dominican": "DO", "panamanian": "PA", "costa rican": "CR",
    "uruguayan": "UY", "paraguayan": "PY", "puerto rican": "PR", "trinidadian": "TT",
}


def demonym_country(word: str) -> str | None:
    """The country code of an adjective of nationality or its plural ("Israelis" -> IL)."""
    lower = word.lower()
    code = _DEMONYMS.get(lower)
    if code is None and lower.endswith("s") and not lower.endswith("ss"):
        code = _DEMONYMS.get(lower[:-1])
    return code


DEMONYM_WORD = re.compile(r"\b(?:(?:North|South|Sri) )?[A-Z][a-z]+\b")


# English forms of "the people of X": (ending of the word, what replaces it to give X).
_STEM_RULES = (("ians", "ia"), ("ians", "io"), ("ians", "a"), ("ians", "y"), ("ans", ""),
               ("ans", "as"), ("ns", ""), ("ian", "ia"), ("an", ""), ("i", ""))


def demonym_stems(word: str) -> list[str]:
    """Names a word for the people of a place may come from: "Ohioans" -> "Ohio", "Texans" ->
    "Texas", "Ontarians" -> "Ontario", "Dagestani" -> "Dagestan"."""
    stems = []
    for ending, replacement in _STEM_RULES:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[:len(word) - len(ending)] + replacement
            if stem not in stems and stem != word:
                stems.append(stem)
    return stems
