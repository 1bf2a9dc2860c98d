"""ISO 4217 currency codes a document may use (private).

``Money`` itself accepts any three capital letters; documents are stricter,
so a typo such as ``"USS"`` in a file from another system is caught at the
border instead of becoming a currency of its own.
"""

from __future__ import annotations

__all__ = ["ISO_4217"]

# Source: ISO 4217 list one ("current currency & funds code list") as published
# by SIX Group for the ISO 4217 maintenance agency,
# https://www.six-group.com/dam/download/financial-information/data-center/iso-currrency/lists/list-one.xml
# Version: the list published 2026-01-01, which carries the amendments up to
# number 180 (Bulgaria to the euro). There is no network here, so it was read
# from stored public copies that agree with one another:
# - SIX list-one.xml published 2024-06-25, verbatim in
#   github.com/tlesicka/actual-budget-multicurrency-todo, file list-one.xml
#   (179 codes, with their minor units);
# - the active and funds codes generated from SIX list-one published 2026-01-01
#   in github.com/rust-iso/rust_iso4217, src/lib.rs (ALL_ACTIVE_CODE +
#   ALL_FUNDS_CODE, 178 codes);
# - the amendments in between, as applied by the JDK (openjdk/jdk
#   CurrencyData.properties at dataVersion 180; PR 27433 for amendment 180):
#   176 XCG replaces ANG (2025-03-31), 179 adds XAD, 180 EUR
#   replaces BGN (2026-01-01); CUC, still in the 2024-06-25 list, is absent
#   from the 2025 and 2026 ones.
# Withdrawal months are list three's, from github.com/datasets/currency-codes,
# data/codes-all.csv (SIX lists one and three as of spring 2025).

# List one: every national currency, every fund code (BOV, CHE, CHW, CLF, COU,
# MXV, USN, UYI, UYW) and every code without a minor unit (XDR, XSU, XUA, the
# bond-market units XBA..XBD, the metals XAU, XAG, XPD, XPT, and XTS, XXX).
_LIST_ONE: frozenset[str] = frozenset(
    (
        "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD",
        "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
        "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF",
        "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP",
        "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR",
        "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
        "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
        "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
        "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB",
        "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN",
        "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH",
        "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAD",
        "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF",
        "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
    )
)  # fmt: skip

# Codes that left list one in 2023 or later stay readable and writable:
# contracts run for years, and the invoices and price histories stored under
# them keep the currency they were billed in. Codes withdrawn earlier (VEF
# 2018, MRO and STD 2017, BYR 2017, ...) are refused like any unknown code.
_WITHDRAWN_SINCE_2023: frozenset[str] = frozenset(
    (
        "HRK",  # Croatian kuna, replaced by EUR, withdrawn 2023-01
        "SLL",  # old leone, redenominated as SLE (1000:1), withdrawn 2023-12
        "ZWL",  # Zimbabwe dollar, replaced by ZWG, withdrawn 2024-09
        "CUC",  # Cuban convertible peso, left list one after 2024-06-25
        #         (list three dates its withdrawal from circulation 2021-06)
        "ANG",  # Netherlands Antillean guilder, replaced by XCG, withdrawn 2025-03
        "BGN",  # Bulgarian lev, replaced by EUR, withdrawn 2026-01
    )
)

ISO_4217: frozenset[str] = _LIST_ONE | _WITHDRAWN_SINCE_2023
