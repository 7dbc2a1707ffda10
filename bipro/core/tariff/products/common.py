"""Data shared by several products: tax, payment surcharges, zones."""

# Versicherungsteuer in percent. 19 % is the general German rate and applies
# to all our products. Simplification: for Wohngebäude the law splits the
# premium into a fire share (taxed differently) and the rest; we apply
# 19 % to the whole premium until the split is needed.
TAX_RATE = "19"

# Surcharge in percent on the annual net premium for paying in instalments
# (BiPRO Zahlungsweise: 1 jährlich, 2 halbjährlich, 4 vierteljährlich,
# 8 monatlich). Covers the extra collection costs and interest.
PAYMENT_SURCHARGES = {"1": "0", "2": "3", "4": "5", "8": "5"}

# Tariff zone by the first two digits of the postcode: [from prefix, zone].
# Zone 1 = low risk (rural) ... zone 4 = high risk (large cities). One table
# for burglary and natural hazards alike is a simplification; a real tariff
# would use separate burglary zones and the ZÜRS flood zones.
POSTCODE_ZONES = [
    [0, 2],   # 00-09 Sachsen, Thüringen
    [10, 4],  # 10-14 Berlin
    [15, 1],  # 15-19 Brandenburg, Mecklenburg-Vorpommern
    [20, 4],  # 20-22 Hamburg
    [23, 1],  # 23-27 Schleswig-Holstein, Niedersachsen Nord
    [28, 3],  # 28    Bremen
    [29, 1],  # 29-39 Niedersachsen, Sachsen-Anhalt
    [40, 3],  # 40-47 Rhein-Ruhr
    [48, 2],  # 48-49 Münsterland, Osnabrück
    [50, 3],  # 50-53 Köln, Bonn
    [54, 2],  # 54-59 Trier, Sauerland
    [60, 3],  # 60-65 Rhein-Main
    [66, 2],  # 66-79 Saarland, Pfalz, Baden-Württemberg
    [80, 4],  # 80-81 München
    [82, 2],  # 82-99 übriges Bayern
]

POSTCODE_QUESTION = {
    "name": "postcode", "label": "Postleitzahl", "type": "text",
    "pattern": r"[0-9]{5}",
    "pattern_message": "Postleitzahl muss aus fünf Ziffern bestehen",
    "help": "Postleitzahl des Risikoorts",
}

ZONE_FROM_POSTCODE = {
    "name": "zone", "kind": "postcode_zone", "input": "postcode",
    "label": "Tarifzone", "bands": POSTCODE_ZONES,
}


def euro_choices(*amounts):
    """Choices for amounts in euros, e.g. deductibles: [["150", "150 €"], ...]."""
    return [[str(amount), f"{amount} €"]
            for amount in amounts]
