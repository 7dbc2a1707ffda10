"""German alphabetical order (DIN 5007, variant 1) of the stored sort keys."""

from store.sort_keys import customer_sort_keys, german_sort_key


def test_names_sort_as_in_a_german_dictionary():
    names = ["Zimmermann", "Özdemir", "Busch", "Böhm", "Bohne", "Oswald", "Straßer", "Strasse", "ärger",
             "Ahrens", "Ćosić", "Yılmaz", "Øster"]
    assert sorted(names, key=german_sort_key) == [
        "Ahrens", "ärger", "Böhm", "Bohne", "Busch", "Ćosić", "Øster", "Oswald", "Özdemir",
        "Strasse", "Straßer", "Yılmaz", "Zimmermann"]


def test_key_folds_case_marks_and_sharp_s():
    assert german_sort_key("MÜLLER-Lüdenscheidt") == "muller-ludenscheidt"
    assert german_sort_key("Großstraße 7") == german_sort_key("GROSSSTRASSE 7") == "grossstrasse 7"
    assert german_sort_key(None) == german_sort_key("") == ""


def test_customer_keys_name_their_columns():
    assert customer_sort_keys("Jürgen", "Böhm", "Hauptstraße 1", "Überlingen") == {
        "first_name_sort": "jurgen", "last_name_sort": "bohm", "street_sort": "hauptstrasse 1",
        "town_sort": "uberlingen"}
