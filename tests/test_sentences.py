"""Sentence splitting: abbreviations, initials, decimals, quotes, Hebrew gershayim."""
import pytest

from align.text.sentences import split_sentences


@pytest.mark.parametrize("text, expected", [
    ("He left. She stayed.", ["He left.", "She stayed."]),
    ("The U.S. Secretary arrived. He spoke.", ["The U.S. Secretary arrived.", "He spoke."]),
    ("Dr. Cohen met Prof. Levi at 3 p.m. Tuesday.", ["Dr. Cohen met Prof. Levi at 3 p.m. Tuesday."]),
    ("Growth was 3.5 percent. Inflation fell.", ["Growth was 3.5 percent.", "Inflation fell."]),
    ("J. K. Rowling wrote it. It sold well.", ["J. K. Rowling wrote it.", "It sold well."]),
    ('"We will act," he said. "Now."', ['"We will act," he said.', '"Now."']),
    ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
    ("He met officials in Washington, D.C. on Monday.", ["He met officials in Washington, D.C. on Monday."]),
    ("the end. lowercase goes on", ["the end. lowercase goes on"]),
    ("First line\nSecond line", ["First line", "Second line"]),
])
def test_english(text, expected):
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize("text, expected", [
    ("הוא הלך. היא נשארה.", ["הוא הלך.", "היא נשארה."]),
    ("צה״ל פתח במבצע. ד״ר כהן הגיע.", ["צה״ל פתח במבצע.", "ד״ר כהן הגיע."]),
    ('שגריר ארה"ב נאם. הנשיא הקשיב.', ['שגריר ארה"ב נאם.', "הנשיא הקשיב."]),
    ("הצמיחה הייתה 3.5 אחוזים. האינפלציה ירדה.", ["הצמיחה הייתה 3.5 אחוזים.", "האינפלציה ירדה."]),
    ("קנינו תפוחים, אגסים וכו. ואז הלכנו.", ["קנינו תפוחים, אגסים וכו. ואז הלכנו."]),
    ('הוא אמר: "נפעל." ואז יצא.', ['הוא אמר: "נפעל."', "ואז יצא."]),
    ("באמת? כן! בסדר.", ["באמת?", "כן!", "בסדר."]),
    ("", []),
])
def test_hebrew(text, expected):
    assert split_sentences(text, "he") == expected
