#!/usr/bin/env python3
"""Generates the example data of examples/eaeu: the person register and the goods
declarations (CSV, one row per goods item, and JSON Lines, one object per declaration).

Deterministic: run it again and the files come out byte for byte the same.

    python3 examples/eaeu/data/generate.py

The CRAFTED declarations are each meant to be selected by the profiles their `target`
names; the rest are ordinary trade that no profile should select, apart from the
marking profile KZ-MRK-002, which looks at every consignment of marked goods.
"""

import csv
import json
import os
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = random.Random(2026)
CENT = Decimal("0.01")
GRAM = Decimal("0.001")


def money(x):
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def mass(x):
    return Decimal(x).quantize(GRAM, rounding=ROUND_HALF_UP)


# ---- the person register -------------------------------------------------------------


def bin_check_digit(first11):
    """Check digit of a Kazakh BIN/IIN (two passes of weighted sums modulo 11)."""
    digits = [int(c) for c in first11]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        check = sum(d * w for d, w in zip(digits, weights)) % 11
        if check != 10:
            return check
    return None


def make_bin(yymm):
    """A BIN of a legal entity registered in month `yymm` (e.g. "0903")."""
    while True:
        first11 = yymm + "40" + "".join(str(RNG.randrange(10)) for _ in range(5))
        check = bin_check_digit(first11)
        if check is not None:
            return first11 + str(check)


# name, registered_since, years_active, declarations_12m, violations_3y,
# customs_offences_3y, arrears, aeo. The category the rules of indicators.risk give
# is in the comment.
PERSONS = [
    ("Steppe Logistics LLP", "2009-03-12", 16, 420, 0, 0, "0", True),          # low (AEO, broker)
    ("Altyn Auto LLP", "2012-05-21", 13, 150, 0, 0, "0", False),               # low
    ("Nomad Pharm LLP", "2014-02-03", 11, 90, 0, 0, "0", False),               # low
    ("Caspian Steel Trade LLP", "2011-09-14", 14, 60, 0, 0, "0", False),       # low
    ("Zhetysu Foods LLP", "2016-04-18", 9, 48, 0, 0, "0", False),              # low
    ("Tengri Electronics LLP", "2010-11-02", 15, 210, 0, 0, "0", True),        # low (AEO)
    ("Astana Build Materials LLP", "2015-06-30", 10, 30, 0, 0, "0", False),    # low
    ("Saryarka Agro LLP", "2008-08-08", 17, 200, 0, 0, "0", False),            # low
    ("Otrar Logistics LLP", "2013-01-15", 12, 640, 1, 0, "0", True),           # low (AEO, broker)
    ("Kokzhiek Textile LLP", "2019-03-11", 6, 40, 1, 0, "0", False),           # medium
    ("Orda Shoes LLP", "2020-07-07", 5, 35, 2, 0, "0", False),                 # medium
    ("Baikonur Trade LLP", "2018-10-01", 7, 8, 0, 0, "0", False),              # medium (few declarations)
    ("Ile Cosmetics LLP", "2021-02-25", 4, 22, 1, 0, "0", False),              # medium
    ("Khan Tengri Beverages LLP", "2017-05-16", 8, 25, 1, 0, "0", False),      # medium
    ("Esil Digital LLP", "2022-09-01", 3, 18, 1, 0, "0", False),               # medium
    ("Shymkent Tyre Center LLP", "2019-12-02", 6, 30, 2, 0, "0", False),       # medium
    ("Atyrau Oil Service LLP", "2013-04-04", 12, 10, 0, 0, "0", False),        # medium (few declarations)
    ("IE Seitkali A.", "2023-06-19", 2, 14, 0, 0, "0", False),                 # medium
    ("Aral Fish LLP", "2020-03-23", 5, 12, 1, 0, "0", False),                  # medium
    ("Jibek Joly Import LLP", "2025-11-03", 0, 4, 0, 0, "0", False),           # medium, newcomer
    ("Kyzylorda Med Supply LLP", "2025-09-15", 0, 2, 0, 0, "0", False),        # medium, newcomer
    ("Silk Way Express LLP", None, 1, 3, 0, 0, "0", False),                    # medium, newcomer (no record)
    ("Beauty Line KZ LLP", "2025-08-01", 0, 5, 0, 0, "0", False),              # medium, newcomer
    ("Turan Cargo LLP", "2016-01-20", 10, 55, 1, 1, "0", False),               # high (offence)
    ("Alatau Motors LLP", "2014-07-09", 11, 70, 2, 2, "0", False),             # high (offences)
    ("Irtysh Metal LLP", "2012-12-12", 13, 44, 0, 0, "12450000.00", False),    # high (arrears)
    ("Barys Trade LLP", "2018-02-14", 7, 19, 1, 0, "830500.50", False),        # high (arrears)
    ("Mangystau Trading LLP", "2015-10-05", 10, 27, 0, 0, "2100000.00", False),  # high (arrears)
    ("Kazygurt Textiles LLP", "2017-08-21", 8, 33, 4, 0, "0", False),          # high (violations)
    ("Sunkar Import LLP", "2019-05-30", 6, 26, 3, 0, "0", False),              # high (violations)
]

P = {}  # name -> BIN
for name, since, *_ in PERSONS:
    P[name] = make_bin((since or "2024-01-01")[2:4] + (since or "2024-01-01")[5:7])
assert len(set(P.values())) == len(PERSONS)

# Declarants missing from the register: category `high` by the `when unregistered` rule.
UNREGISTERED = [make_bin(yymm) for yymm in ("2507", "2511", "2601", "2412")]

# ---- goods and rates ---------------------------------------------------------------------

RATES = {  # KZT per unit of the invoice currency
    "USD": Decimal("512.40"), "EUR": Decimal("598.70"), "CNY": Decimal("71.85"),
    "TRY": Decimal("12.30"), "AED": Decimal("139.52"), "KRW": Decimal("0.3710"),
    "JPY": Decimal("3.41"), "GEL": Decimal("189.60"),
}

# Customs value = invoice value x (1 + share) by delivery terms: transport to the border
# is added for E and F terms, transport after the border deducted for D terms.
FREIGHT = {"EXW": "0.06", "FCA": "0.04", "FOB": "0.05", "CPT": "0", "CIP": "0",
           "CFR": "0", "CIF": "0", "DAP": "-0.02", "DDP": "-0.03"}

DUTY = [  # import duty by code prefix (ad valorem share), longest prefix first
    ("8703", "0.15"), ("0202", "0.15"), ("64", "0.10"), ("61", "0.10"), ("62", "0.10"),
    ("6307", "0.10"), ("9403", "0.10"), ("4011", "0.10"), ("3304", "0.065"), ("3305", "0.065"),
    ("2204", "0.125"), ("6907", "0.10"), ("8418", "0.075"), ("8450", "0.075"), ("72", "0.05"),
    ("8708", "0.05"), ("3923", "0.065"), ("8544", "0.05"), ("8543", "0.03"), ("2202", "0.08"),
    ("8471", "0"), ("8517", "0"), ("3004", "0"), ("9018", "0"), ("8429", "0"), ("8528", "0.05"),
    ("0803", "0.04"), ("2203", "0"), ("2402", "0"), ("8501", "0.05"), ("8481", "0.05"),
    ("3926", "0.065"), ("5208", "0.05"), ("8806", "0"), ("1001", "0"), ("6910", "0.10"),
    ("3917", "0.065"), ("8421", "0.03"), ("8507", "0.10"), ("8413", "0.02"), ("8482", "0.05"),
    ("7306", "0.05"), ("2106", "0.05"), ("9503", "0.05"), ("6505", "0.10"), ("8518", "0.05"),
    ("0805", "0.05"),
]

EXCISE_PER_UNIT = {"2203": Decimal("160"), "2204": Decimal("300"), "2402": Decimal("15000")}  # KZT per l / 1000 pcs
AD_RATE = {"721934": "0.191", "721935": "0.191", "722020": "0.191", "7210": "0.162"}
AD_ORIGINS = {"CN", "UA", "IN"}
PREFERENCE_FACTOR = {"LDC": Decimal("0"), "DEV": Decimal("0.75"), "FTA": Decimal("0")}


def lookup(table, hs):
    best = None
    for prefix, value in (table.items() if isinstance(table, dict) else table):
        if hs.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, value)
    return best[1] if best else None


def item(hs, description, origin, net_kg, price, qty=None, unit=None, **extra):
    """A goods item: `price` is the invoice price of the whole item."""
    return dict(hs=hs, description=description, origin=origin, net_kg=mass(net_kg),
                invoice_price=money(price), qty=qty, unit=unit, **extra)


def per_unit(hs, description, origin, qty, kg_each, price_each, unit="796", **extra):
    return item(hs, description, origin, Decimal(kg_each) * qty, Decimal(price_each) * qty,
                qty=Decimal(qty), unit=unit, **extra)


def bulk(hs, description, origin, kg, price_per_kg, **extra):
    return item(hs, description, origin, kg, Decimal(price_per_kg) * kg, **extra)


# ---- the declarations --------------------------------------------------------------------

OFFICES = {
    "almaty": "55204001", "astana": "55201001", "khorgos": "55215031",
    "dostyk": "55209041", "shymkent": "55206021", "aktau": "55212011",
}
TRANSPORT = {"khorgos": "30", "dostyk": "20", "almaty": "40", "astana": "30", "shymkent": "30", "aktau": "10"}


def decl(when, office, declarant, currency, terms, place, dispatch, items, *, consignee="same",
         direction="IM", procedure="40", trade=None, destination="KZ", target=None,
         cv_factor=None, freight=None, transport=None, previous="00"):
    return dict(when=when, office=office, declarant=declarant, currency=currency, terms=terms,
                place=place, dispatch=dispatch, items=items, consignee=consignee,
                direction=direction, procedure=procedure, trade=trade or dispatch,
                destination=destination, target=target, cv_factor=cv_factor, freight=freight,
                transport=transport, previous=previous)


CRAFTED = [
    decl("2026-01-12", "khorgos", P["Orda Shoes LLP"], "CNY", "CPT", "ALMATY", "CN", [
        per_unit("6403919800", "MEN'S LEATHER ANKLE BOOTS, RUBBER SOLES", "CN", 2000, "0.9", "70", unit="715"),
        per_unit("6403999300", "WOMEN'S LEATHER SHOES", "CN", 800, "0.6", "160", unit="715"),
    ], target="KZ-VAL-001"),
    decl("2026-01-19", "khorgos", P["Sunkar Import LLP"], "USD", "FCA", "URUMQI", "CN", [
        per_unit("6404110000", "SPORTS SHOES NIKE AIR MAX, TEXTILE UPPER", "CN", 600, "0.7", "4", unit="715"),
        per_unit("6109100000", "T-SHIRTS ADIDAS, COTTON, KNITTED", "CN", 1500, "0.18", "2.6"),
    ], target="KZ-IPR-001, KZ-VAL-001"),
    decl("2026-01-26", "dostyk", P["Baikonur Trade LLP"], "USD", "FCA", "ALASHANKOU", "CN", [
        per_unit("8471300000", "LAPTOPS 15.6 IN, REFURBISHED", "CN", 500, "1.6", "35"),
        per_unit("8528721000", "LED TELEVISIONS 43 IN", "CN", 120, "9.5", "150"),
    ], target="KZ-VAL-002"),
    decl("2026-02-02", "almaty", P["Kokzhiek Textile LLP"], "TRY", "DAP", "ALMATY", "TR", [
        per_unit("6109100000", "MEN'S COTTON T-SHIRTS, KNITTED", "TR", 3000, "0.18", "95"),
        per_unit("6110203000", "COTTON PULLOVERS, KNITTED", "TR", 900, "0.45", "310"),
    ], target="KZ-VAL-003", cv_factor=Decimal("0.82")),
    decl("2026-02-09", "almaty", P["Esil Digital LLP"], "USD", "CIP", "ALMATY", "CN", [
        per_unit("8517130000", "SMARTPHONES 6.7 IN, 128 GB", "CN", 1000, "0.25", "38"),
        per_unit("8517130000", "SMARTPHONES 6.1 IN, 64 GB", "CN", 500, "0.24", "45"),
        per_unit("3926909709", "PHONE CASES, SILICONE", "CN", 3000, "0.03", "0.4"),
    ], target="KZ-VAL-004"),
    decl("2026-02-16", "khorgos", P["IE Seitkali A."], "USD", "FCA", "KHORGOS", "CN", [
        per_unit("8703800002", "ELECTRIC PASSENGER CARS, NEW, 5 SEATS", "CN", 2, "1900", "6200"),
    ], target="KZ-VAL-005, KZ-VAL-002"),
    decl("2026-03-02", "almaty", P["Tengri Electronics LLP"], "USD", "EXW", "SHENZHEN", "CN", [
        per_unit("8471300000", "LAPTOPS 14 IN, 16 GB RAM", "CN", 300, "1.5", "430"),
    ], target="KZ-VAL-006 (draft: selects nothing yet)", freight=Decimal("0")),
    decl("2026-02-23", "khorgos", P["Jibek Joly Import LLP"], "USD", "FCA", "KHORGOS", "CN", [
        per_unit("8543709000", "SMARTPHONES 6.6 IN, 256 GB, DUAL SIM", "CN", 300, "0.2", "120"),
    ], target="KZ-CLS-001"),
    decl("2026-03-09", "almaty", P["Khan Tengri Beverages LLP"], "EUR", "FCA", "BREMEN", "DE", [
        per_unit("2202100000", "BEER LAGER 4.7% VOL, CANS 0.5 L", "DE", 20000, "1.03", "0.62", unit="112"),
    ], target="KZ-CLS-002"),
    decl("2026-03-16", "shymkent", P["Kazygurt Textiles LLP"], "USD", "DAP", "SHYMKENT", "UZ", [
        per_unit("6307909800", "KNITTED T-SHIRTS, COTTON, FOR MEN", "UZ", 5000, "0.19", "1.9"),
    ], target="KZ-CLS-003"),
    decl("2026-03-23", "dostyk", P["Caspian Steel Trade LLP"], "USD", "CPT", "DOSTYK", "MY", [
        bulk("7219340000", "COLD-ROLLED STAINLESS STEEL SHEETS, AISI 304, 1-3 MM", "VN", 60000, "2.1"),
    ], target="KZ-ORI-001"),
    decl("2026-03-30", "khorgos", P["Shymkent Tyre Center LLP"], "USD", "FCA", "KHORGOS", "CN", [
        per_unit("4011100003", "PASSENGER CAR TYRES 205/55 R16", "RU", 1200, "9", "31"),
    ], target="KZ-ORI-002"),
    decl("2026-04-06", "almaty", P["Esil Digital LLP"], "USD", "CPT", "ALMATY", "AE", [
        per_unit("8517130000", "SMARTPHONES TECNO SPARK 20, 128 GB", "AE", 800, "0.2", "110"),
    ], target="KZ-ORI-003"),
    decl("2026-04-13", "dostyk", P["Astana Build Materials LLP"], "USD", "CPT", "DOSTYK", "CN", [
        bulk("7210490000", "GALVANISED STEEL SHEETS, ZINC COATED, 0.5 MM", "CN", 80000, "0.82",
             special_duty=Decimal("0")),
        bulk("7208390000", "HOT-ROLLED FLAT STEEL, 2-3 MM", "CN", 40000, "0.58"),
    ], target="KZ-TDM-001, KZ-TDM-003"),
    decl("2026-04-20", "dostyk", P["Sunkar Import LLP"], "USD", "CPT", "DOSTYK", "CN", [
        bulk("7219350000", "COLD-ROLLED STAINLESS STEEL SHEETS, UNDER 0.5 MM", "TH", 30000, "2.3"),
        bulk("7220201000", "COLD-ROLLED STAINLESS STEEL STRIP", "TH", 15000, "2.4"),
    ], target="KZ-TDM-002"),
    decl("2026-04-27", "aktau", P["Khan Tengri Beverages LLP"], "GEL", "CPT", "AKTAU", "GE", [
        per_unit("2204219800", "WINE RED DRY, BOTTLES 0.75 L", "GE", 9000, "1.2", "7.5", unit="112"),
    ], target="KZ-PRH-001"),
    decl("2026-05-04", "shymkent", P["Kyzylorda Med Supply LLP"], "USD", "CPT", "SHYMKENT", "IN", [
        per_unit("3004900002", "MEDICINES: PARACETAMOL 500 MG TABLETS, PACKS OF 20", "IN", 20000, "0.02", "0.35"),
    ], target="KZ-PRH-002"),
    decl("2026-05-11", "shymkent", P["Baikonur Trade LLP"], "USD", "FCA", "SHYMKENT", "KZ", [
        per_unit("8806221000", "UNMANNED AERIAL VEHICLES, QUADCOPTERS, 0.9 KG", "CN", 150, "0.9", "640"),
    ], direction="EK", procedure="10", destination="UZ", consignee=None, target="KZ-EXC-001"),
    decl("2026-05-18", "almaty", P["Turan Cargo LLP"], "USD", "CPT", "ALMATY", "AE", [
        per_unit("2402200000", "CIGARETTES WITH FILTER, 1000 PCS", "AE", 400, "1.1", "28", unit="798",
                 excise=Decimal("0")),
    ], target="KZ-MRK-001"),
    decl("2026-05-25", "khorgos", P["Kazygurt Textiles LLP"], "CNY", "CPT", "ALMATY", "CN", [
        per_unit("6106200000", "WOMEN'S BLOUSES, KNITTED, SYNTHETIC FIBRES", "CN", 2500, "0.2", "32"),
    ], target="KZ-MRK-002 (high-risk declarant)"),
    decl("2026-06-01", "almaty", UNREGISTERED[1], "TRY", "DAP", "ALMATY", "TR", [
        per_unit("6109100000", "T-SHIRTS ADIDAS ORIGINALS, COTTON", "TR", 1200, "0.18", "140"),
    ], target="KZ-IPR-002, KZ-MRK-002"),
    decl("2026-01-14", "dostyk", P["Irtysh Metal LLP"], "USD", "CPT", "DOSTYK", "CN", [
        bulk("7208390000", "HOT-ROLLED STEEL COILS, 3-4.75 MM", "CN", 120000, "0.55"),
    ], target="KZ-PAY-001"),
    decl("2026-02-11", "almaty", P["Alatau Motors LLP"], "USD", "CIF", "ALMATY", "AE", [
        per_unit("8703239013", "PASSENGER CARS, NEW, PETROL 2.5 L", "JP", 4, "1550", "29000"),
    ], trade="AE", target="KZ-PAY-003"),
    decl("2026-03-04", "khorgos", P["Astana Build Materials LLP"], "USD", "FCA", "KHORGOS", "CN", [
        bulk("6907210000", "CERAMIC FLOOR TILES, GLAZED", "CN", 40000, "0.31", preference="DEV"),
    ], target="KZ-PRF-001"),
    decl("2026-03-18", "almaty", P["Kokzhiek Textile LLP"], "USD", "CIF", "ALMATY", "IN", [
        per_unit("6205200000", "MEN'S SHIRTS, WOVEN, COTTON", "IN", 4000, "0.25", "4.2", preference="LDC"),
    ], target="KZ-PRF-002"),
    decl("2026-04-08", "almaty", P["Zhetysu Foods LLP"], "USD", "CFR", "ALMATY", "BR", [
        bulk("0202300000", "FROZEN BONELESS BEEF", "BR", 25000, "4.6"),
    ], target="KZ-VET-001"),
    decl("2026-04-22", "almaty", P["Beauty Line KZ LLP"], "KRW", "CIP", "ALMATY", "KR", [
        per_unit("3304990000", "FACE CREAM, MOISTURISING, 50 ML", "KR", 6000, "0.07", "4100"),
        per_unit("3305100000", "SHAMPOO, 400 ML", "KR", 3000, "0.42", "5200"),
    ], target="KZ-SAN-001"),
    decl("2026-05-06", "khorgos", P["Baikonur Trade LLP"], "USD", "FCA", "KHORGOS", "CN", [
        per_unit("4011100003", "PASSENGER CAR TYRES 195/65 R15", "CN", 500, "19", "27"),
    ], target="KZ-QTY-001, KZ-MRK-002"),
    decl("2026-05-20", "astana", P["Otrar Logistics LLP"], "USD", "CPT", "ASTANA", "CN", [
        per_unit("9403600000", "WOODEN FURNITURE, KITCHEN CABINETS", "CN", 200, "35", "85", gross_equal=True),
        bulk("3923210000", "POLYETHYLENE BAGS", "CN", 3000, "2.1", gross_equal=True),
        bulk("8544429009", "ELECTRIC CABLES, COPPER, INSULATED, 1 KV", "CN", 5000, "6.5", gross_equal=True),
    ], consignee=P["Astana Build Materials LLP"], target="KZ-QTY-002"),
    decl("2026-02-04", "dostyk", P["Barys Trade LLP"], "USD", "CPT", "DOSTYK", "CN", [
        per_unit("8418102001", "REFRIGERATORS, TWO-DOOR, 300 L", "CN", 150, "62", "280"),
        per_unit("8450111100", "WASHING MACHINES, FRONT LOADING, 7 KG", "CN", 120, "65", "230"),
    ], target="KZ-PAY-001"),
    decl("2026-03-11", "dostyk", P["Otrar Logistics LLP"], "USD", "CPT", "DOSTYK", "CN", [
        bulk("7208390000", "HOT-ROLLED FLAT STEEL, 2-3 MM", "CN", 60000, "0.57"),
    ], consignee=P["Irtysh Metal LLP"], target="KZ-PAY-002 (revoked: selects nothing)"),
    decl("2026-06-08", "khorgos", P["Otrar Logistics LLP"], "CNY", "CPT", "ALMATY", "CN", [
        per_unit("6403919800", "MEN'S LEATHER SHOES, LACED", "CN", 1500, "0.85", "68", unit="715"),
    ], consignee=P["Orda Shoes LLP"], target="KZ-VAL-001 (low-risk broker: inspection sampled)"),
    decl("2026-06-15", "almaty", P["Zhetysu Foods LLP"], "USD", "CFR", "ALMATY", "AR", [
        bulk("0202300000", "FROZEN BEEF, BONELESS, CUTS", "AR", 20000, "0.9"),
    ], target="KZ-VAL-002"),
    decl("2026-06-22", "khorgos", UNREGISTERED[0], "CNY", "FCA", "KHORGOS", "CN", [
        per_unit("2106909803", "FOOD SUPPLEMENTS, VITAMIN C TABLETS", "CN", 8000, "0.12", "9"),
        per_unit("9503009909", "TOYS, PLASTIC CONSTRUCTION SETS", "CN", 1500, "0.5", "25"),
        per_unit("3926909709", "PHONE CASES, SILICONE", "CN", 4000, "0.03", "2.5"),
        per_unit("6505009000", "KNITTED HATS, ACRYLIC", "CN", 2000, "0.08", "6"),
    ], target="KZ-SAN-001 (unregistered declarant)"),
    decl("2026-06-24", "almaty", P["Tengri Electronics LLP"], "USD", "CPT", "ALMATY", "CN", [
        per_unit("8517130000", "SMARTPHONES APPLE IPHONE 15 PRO, 256 GB", "CN", 400, "0.22", "860"),
        per_unit("8517130000", "SMARTPHONES SAMSUNG GALAXY A55, 128 GB", "CN", 900, "0.23", "260"),
        per_unit("8471300000", "LAPTOPS APPLE MACBOOK AIR 13 IN", "CN", 150, "1.3", "890"),
        per_unit("8471607000", "KEYBOARDS, WIRELESS", "CN", 600, "0.5", "14"),
        per_unit("8528521000", "LCD MONITORS 32 IN", "CN", 80, "8", "210"),
        per_unit("8518300000", "HEADPHONES, WIRELESS", "CN", 1000, "0.08", "18"),
    ], target=None),  # protected brands at full price from a reliable trader: not selected
]

# Ordinary trade: goods at ordinary prices, by established traders, at the right offices.
CATALOGUE = {  # key: (hs, description, origins, kg per unit (None: bulk), price per unit or kg in USD, unit)
    "laptop": ("8471300000", "LAPTOPS 14 IN, 16 GB RAM", ["CN"], "1.5", "420", "796"),
    "tv": ("8528721000", "LED TELEVISIONS 55 IN", ["CN", "KR"], "15", "260", "796"),
    "phone": ("8517130000", "SMARTPHONES 6.1 IN, 256 GB", ["CN", "VN"], "0.21", "180", "796"),
    "iphone": ("8517130000", "SMARTPHONES APPLE IPHONE 15, 128 GB", ["CN"], "0.2", "690", "796"),
    "fridge": ("8418102001", "REFRIGERATORS, TWO-DOOR, 300 L", ["CN", "TR", "KR"], "62", "290", "796"),
    "washer": ("8450111100", "WASHING MACHINES, FRONT LOADING, 7 KG", ["TR", "CN"], "65", "240", "796"),
    "furniture": ("9403600000", "WOODEN FURNITURE, WARDROBES", ["CN", "TR"], "35", "95", "796"),
    "brakes": ("8708999709", "AUTOMOTIVE PARTS, BRAKE PADS", ["CN", "DE", "JP"], "2.2", "14", "796"),
    "bags": ("3923210000", "POLYETHYLENE BAGS", ["CN"], None, "2.1", None),
    "cable": ("8544429009", "ELECTRIC CABLES, COPPER, INSULATED, 1 KV", ["CN"], None, "6.8", None),
    "excavator": ("8429521000", "HYDRAULIC EXCAVATORS, CRAWLER, 21 T", ["CN", "JP", "KR"], "21000", "98000", "796"),
    "bananas": ("0803900000", "FRESH BANANAS", ["EC"], None, "0.95", None),
    "surgical": ("9018908409", "SURGICAL INSTRUMENTS, STAINLESS", ["DE", "US"], "0.3", "45", "796"),
    "steel": ("7208390000", "HOT-ROLLED FLAT STEEL, 2-3 MM", ["CN"], None, "0.58", None),
    "car": ("8703239013", "PASSENGER CARS, NEW, PETROL 2.0 L", ["KR", "JP", "DE"], "1450", "21000", "796"),
    "motor": ("8501524000", "ELECTRIC MOTORS, AC, 7.5 KW", ["CN", "IT"], "48", "210", "796"),
    "valve": ("8481808199", "VALVES FOR PIPELINES, STEEL", ["IT", "DE", "CN"], "12", "95", "796"),
    "beer": ("2203000900", "BEER LAGER 5% VOL, BOTTLES 0.5 L", ["DE", "CZ"], "1.05", "0.8", "112"),
    "medicine": ("3004900002", "MEDICINES: IBUPROFEN 200 MG, PACKS OF 24", ["DE", "HU", "IN"], "0.03", "1.1", "796"),
    "cream": ("3304990000", "FACE CREAM, 50 ML", ["KR", "FR"], "0.07", "6.5", "796"),
    "fabric": ("5208520000", "COTTON FABRIC, PRINTED", ["VN"], None, "3.4", None),
    "shirts_rs": ("6205200000", "MEN'S SHIRTS, WOVEN, COTTON", ["RS"], "0.25", "9", "796"),
    "keyboard": ("8471607000", "KEYBOARDS, USB", ["CN"], "0.6", "12", "796"),
    "monitor": ("8528521000", "LCD MONITORS 27 IN", ["CN", "KR"], "6.5", "160", "796"),
    "sink": ("6910100000", "CERAMIC WASHBASINS", ["CN", "TR"], "12", "18", "796"),
    "pipes": ("3917230000", "PLASTIC PIPES, PVC", ["CN", "TR"], None, "1.6", None),
    "filter": ("8421230000", "OIL FILTERS FOR ENGINES", ["CN", "DE", "JP", "KR"], "0.4", "3.5", "796"),
    "battery": ("8507100000", "LEAD-ACID BATTERIES, 12 V", ["CN", "KR", "DE"], "18", "60", "796"),
    "pump": ("8413702900", "CENTRIFUGAL PUMPS", ["IT", "DE", "CN"], "85", "900", "796"),
    "bearing": ("8482102009", "BALL BEARINGS", ["CN", "DE", "JP"], "0.8", "4.5", "796"),
    "steel_pipe": ("7306309009", "WELDED STEEL PIPES", ["CN"], None, "0.75", None),
    "lipstick": ("3304100000", "LIPSTICKS", ["FR", "KR"], "0.02", "3.2", "796"),
    "shampoo": ("3305100000", "SHAMPOO, 400 ML", ["KR", "FR"], "0.42", "3.9", "796"),
    "wine": ("2204219800", "WINE WHITE DRY, BOTTLES 0.75 L", ["DE", "IT"], "1.2", "4.5", "112"),
    "oranges": ("0805102200", "FRESH ORANGES", ["EG"], None, "0.7", None),
    "syringes": ("9018311000", "SYRINGES, DISPOSABLE", ["DE", "IN"], "0.006", "0.08", "796"),
}
ROLES = {  # traders and what they import
    P["Tengri Electronics LLP"]: ["laptop", "tv", "phone", "iphone", "keyboard", "monitor"],
    P["Altyn Auto LLP"]: ["car", "brakes", "filter", "battery", "bearing"],
    P["Astana Build Materials LLP"]: ["cable", "bags", "furniture", "sink", "pipes", "steel_pipe"],
    P["Caspian Steel Trade LLP"]: ["steel", "valve", "steel_pipe"],
    P["Steppe Logistics LLP"]: ["fridge", "washer", "motor", "excavator", "bags", "furniture", "brakes", "filter"],
    P["Atyrau Oil Service LLP"]: ["valve", "motor", "excavator", "pump", "bearing"],
    P["Nomad Pharm LLP"]: ["medicine", "surgical", "syringes"],
    P["Khan Tengri Beverages LLP"]: ["beer", "wine"],
    P["Ile Cosmetics LLP"]: ["cream", "lipstick", "shampoo"],
    P["Kokzhiek Textile LLP"]: ["fabric", "shirts_rs"],
    P["Zhetysu Foods LLP"]: ["bananas", "oranges"],
    P["Aral Fish LLP"]: ["bananas", "oranges"],
    UNREGISTERED[2]: ["furniture", "sink", "pipes"],
    UNREGISTERED[3]: ["phone", "monitor", "keyboard"],
}
ROUTES = {  # origin -> (office, delivery terms, delivery place, currency, dispatch country)
    "CN": ("khorgos", "FCA", "KHORGOS", "CNY", "CN"), "KR": ("almaty", "CIP", "ALMATY", "USD", "KR"),
    "JP": ("aktau", "CFR", "AKTAU", "USD", "JP"), "DE": ("almaty", "FCA", "HAMBURG", "EUR", "DE"),
    "TR": ("almaty", "DAP", "ALMATY", "TRY", "TR"), "IT": ("astana", "FCA", "MILANO", "EUR", "IT"),
    "US": ("almaty", "CPT", "ALMATY", "USD", "US"), "VN": ("dostyk", "CPT", "DOSTYK", "USD", "VN"),
    "EC": ("aktau", "CFR", "AKTAU", "USD", "NL"), "CZ": ("almaty", "FCA", "PLZEN", "EUR", "CZ"),
    "HU": ("almaty", "CPT", "ALMATY", "EUR", "HU"), "IN": ("shymkent", "CPT", "SHYMKENT", "USD", "IN"),
    "FR": ("almaty", "CPT", "ALMATY", "EUR", "FR"), "RS": ("almaty", "DAP", "ALMATY", "EUR", "RS"),
    "EG": ("aktau", "CFR", "AKTAU", "USD", "EG"),
}
EXCISE_OFFICE = "almaty"


def ordinary(when, declarant):
    keys = ROLES[declarant]
    origin = RNG.choice([o for k in keys for o in CATALOGUE[k][2]])  # the usual origins weigh more
    office, terms, place, currency, dispatch = ROUTES[origin]
    same_origin = [k for k in keys if origin in CATALOGUE[k][2]]
    chosen = RNG.sample(same_origin, min(len(same_origin), RNG.choice([1, 2, 2, 3, 3, 4, 5, 6])))
    if any(CATALOGUE[k][0][:4] in EXCISE_PER_UNIT for k in chosen):
        office = EXCISE_OFFICE
    items = []
    usd_to_currency = RATES["USD"] / RATES[currency]
    for key in chosen:
        hs, description, _, kg_each, usd, unit = CATALOGUE[key]
        price = Decimal(usd) * usd_to_currency * Decimal(RNG.randint(95, 130)) / 100
        pref = "FTA" if origin in ("VN", "RS") else None
        if kg_each is None:
            items.append(bulk(hs, description, origin, RNG.randrange(2000, 60000, 500), price, preference=pref))
        else:
            qty = max(1, int(RNG.choice([2, 5, 10, 20, 50, 100, 200, 500]) * 200 / max(Decimal(usd), 1) ** Decimal("0.5")))
            items.append(per_unit(hs, description, origin, qty, kg_each, price, unit=unit, preference=pref))
    return decl(when, office, declarant, currency, terms, place, dispatch, items, target=None)


def ordinary_declarations(n):
    out = []
    start = date(2026, 1, 5)
    traders = list(ROLES)
    for i in range(n):
        when = (start + timedelta(days=RNG.randrange(0, 175))).isoformat()
        out.append(ordinary(when, traders[i % len(traders)]))
    # An export of wheat and a transit of cars: other directions, no import profile applies.
    out.append(decl("2026-02-20", "shymkent", P["Saryarka Agro LLP"], "USD", "FCA", "SARYAGASH", "KZ", [
        bulk("1001990000", "WHEAT, MILLING, 3RD CLASS", "KZ", 1340000, "0.215"),
    ], direction="EK", procedure="10", destination="UZ", consignee=None))
    out.append(decl("2026-04-15", "khorgos", P["Steppe Logistics LLP"], "USD", "FCA", "KHORGOS", "CN", [
        per_unit("8703800002", "ELECTRIC PASSENGER CARS, NEW", "CN", 6, "1900", "18500"),
    ], direction="TT", procedure="80", destination="KG", consignee=None, previous=None))
    return out


# ---- payments and rows ---------------------------------------------------------------------


def payments(d, it, cv):
    if d["direction"] != "IM":
        return None, None, None, None
    hs, origin = it["hs"], it["origin"]
    rate = Decimal(lookup(DUTY, hs) or "0.05")
    if it.get("preference"):
        rate *= PREFERENCE_FACTOR[it["preference"]]
    duty = money(cv * rate)
    excise = it.get("excise")
    if excise is None and lookup(EXCISE_PER_UNIT, hs) is not None:
        units = it["qty"] if it["qty"] is not None else it["net_kg"]
        excise = money(units * lookup(EXCISE_PER_UNIT, hs))
    special = it.get("special_duty")
    ad = lookup(AD_RATE, hs)
    if special is None and ad is not None and origin in AD_ORIGINS:
        special = money(cv * Decimal(ad))
    vat = money((cv + duty + (excise or 0) + (special or 0)) * Decimal("0.12"))
    return duty, vat, excise, special


def build(declarations):
    declarations.sort(key=lambda d: d["when"])
    sequence = 1200
    records = []
    for d in declarations:
        office = OFFICES[d["office"]]
        sequence += RNG.randint(40, 900)
        day = date.fromisoformat(d["when"])
        number = f"{office}/{day:%d%m%y}/{sequence:07d}"
        rate = RATES[d["currency"]]
        freight = d["freight"] if d["freight"] is not None else Decimal(FREIGHT[d["terms"]])
        factor = (1 + freight) * (d["cv_factor"] or 1)
        transport = d["transport"] or TRANSPORT[d["office"]]
        items = []
        for n, it in enumerate(d["items"], start=1):
            cv = money(it["invoice_price"] * rate * factor)
            duty, vat, excise, special = payments(d, it, cv)
            pack = Decimal("1") if it.get("gross_equal") else Decimal("1.06")
            items.append({
                "item_number": n, "description": it["description"], "hs": it["hs"], "origin": it["origin"],
                "gross_kg": mass(it["net_kg"] * pack), "net_kg": it["net_kg"],
                "supplementary_qty": it["qty"], "supplementary_unit": it["unit"],
                "invoice_price": it["invoice_price"], "customs_value": cv,
                "statistical_value": money(cv / RATES["USD"]), "preference": it.get("preference"),
                "duty": duty, "vat": vat, "excise": excise, "special_duty": special,
            })
        consignee = d["declarant"] if d["consignee"] == "same" else d["consignee"]
        records.append({
            "number": number, "date": d["when"], "direction": d["direction"], "procedure": d["procedure"],
            "previous_procedure": d["previous"], "office": office, "declarant": d["declarant"],
            "consignee": consignee, "sender": d["declarant"] if d["direction"] == "EK" else None,
            "dispatch_country": d["dispatch"], "trade_country": d["trade"],
            "destination_country": d["destination"], "transport_border": transport,
            "transport_inland": transport if d["direction"] == "IM" else None,
            "delivery_terms": d["terms"], "delivery_place": d["place"], "invoice_currency": d["currency"],
            "invoice_total": sum((it["invoice_price"] for it in items), Decimal(0)),
            "exchange_rate": rate,
            # A transit declaration states no customs value.
            "customs_value_total": sum((it["customs_value"] for it in items), Decimal(0))
            if d["direction"] != "TT" else None,
            "items": items,
        })
    return records


HEADER = ["number", "date", "direction", "procedure", "previous_procedure", "office", "declarant",
          "consignee", "sender", "dispatch_country", "trade_country", "destination_country",
          "transport_border", "transport_inland", "delivery_terms", "delivery_place", "invoice_currency",
          "invoice_total", "exchange_rate", "customs_value_total"]
ITEM = ["item_number", "description", "hs", "origin", "gross_kg", "net_kg", "supplementary_qty",
        "supplementary_unit", "invoice_price", "customs_value", "statistical_value", "preference",
        "duty", "vat", "excise", "special_duty"]


def text(v):
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def json_value(v):
    # Decimals as JSON numbers written exactly; a missing header field as null.
    return text(v) if isinstance(v, Decimal) else json.dumps(v, ensure_ascii=False)


def write(records):
    with open(os.path.join(HERE, "persons.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "registered_since", "years_active", "declarations_12m", "violations_3y",
                    "customs_offences_3y", "arrears", "aeo"])
        for name, since, years, n12, viol, off, arrears, aeo in PERSONS:
            w.writerow([P[name], name, since or "", years, n12, viol, off, arrears, text(aeo)])
    with open(os.path.join(HERE, "declarations.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER + ITEM)
        for r in records:
            for it in r["items"]:
                w.writerow([text(r[k]) for k in HEADER] + [text(it[k]) for k in ITEM])
    with open(os.path.join(HERE, "declarations.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            head = ", ".join(f'"{k}": {json_value(r[k])}' for k in HEADER)
            items = ", ".join(
                "{" + ", ".join(f'"{k}": {json_value(it[k])}' for k in ITEM if it[k] is not None) + "}"
                for it in r["items"])
            f.write("{" + head + ', "items": [' + items + "]}\n")


def main():
    records = build(CRAFTED + ordinary_declarations(28))
    write(records)
    print(f"{len(PERSONS)} persons, {len(records)} declarations, "
          f"{sum(len(r['items']) for r in records)} goods items")


if __name__ == "__main__":
    main()
