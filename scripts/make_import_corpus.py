#!/usr/bin/env python3
"""Writes the CSV import test corpus to tests/data/import/ (python3, standard library only).

Each file imitates what a spreadsheet program really exports; tests/import_corpus.rs asserts
the outcome of each. Run from the repository root: python3 scripts/make_import_corpus.py
"""

import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "import")


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def german_excel():
    # Excel on a German Windows: "CSV (Trennzeichen-getrennt)" is Windows-1252, ';', CRLF.
    rows = [
        "Name;Weiterleitungs-URL;Kundennummer;Bemerkung",
        "Müller Bäckerei GmbH;https://mueller-baeckerei.example.de/callback;K-1001;Filiale Köln",
        "Straßenbau Weiß AG;https://weiss-ag.example.de/oidc/cb;K-1002;",
        '"Grüner Hof; Café & Bistro";https://gruener-hof.example.de/cb;K-1003;Preis 5 €',
        "Öko-Energie Süd eG;https://oeko-sued.example.de/login;K-1004;",
        "Fahrschule Äpfelbaum;;K-1005;ohne Weiterleitung",
    ]
    write("german_excel_cp1252_semicolon.csv", ("\r\n".join(rows) + "\r\n").encode("cp1252"))


def utf8_bom_cjk():
    rows = [
        "이름,Redirect URIs,고객 ID",
        "한빛은행 본인확인,https://hanbit-bank.example.kr/callback,KR-001",
        "서울페이,https://seoulpay.example.kr/cb https://seoulpay.example.kr/cb2,KR-002",
        "さくら証券,https://sakura-sec.example.jp/auth/callback,JP-001",
        "株式会社みらい,https://mirai.example.jp/cb,JP-002",
        "北京数字科技,https://bj-digital.example.cn/callback,CN-001",
        "Café Zürich,https://cafe-zuerich.example.ch/cb,CH-001",
    ]
    write("utf8_bom_cjk.csv", b"\xef\xbb\xbf" + ("\n".join(rows) + "\n").encode("utf-8"))


def utf16_tab():
    # Excel "Unicode text": UTF-16 LE with a BOM, tab-separated, CRLF.
    rows = [
        "App name\tCallback URLs\tWebhook URL\tReference",
        "Nordlicht Versicherung\thttps://nordlicht.example.com/cb\thttps://hooks.nordlicht.example.com/connect\tNL-1",
        "Ålesund Fisk AS\thttps://alesund.example.no/callback\t\tNO-7",
        "Łódź Logistics\thttps://lodz.example.pl/cb;https://lodz.example.pl/cb2\t\tPL-3",
        "東京ホテル\thttps://tokyo-hotel.example.jp/cb\t\tJP-9",
    ]
    write("utf16le_tab.txt", "\r\n".join(rows).encode("utf-16") + b"\r\x00\n\x00")
    # Same content big-endian, as some Mac tools write it.
    write("utf16be_tab.txt", b"\xfe\xff" + ("\r\n".join(rows) + "\r\n").encode("utf-16-be"))


def quoted_multiline():
    text = (
        'name,redirectUris,externalId\n'
        '"Acme, Inc.","https://acme.example.com/cb\nhttps://acme.example.com/cb2\nhttps://acme.example.com/cb3",A-1\n'
        '"The ""Best"" Shop",https://best.example.com/cb,A-2\n'
        '"Two\nLines",https://two.example.com/cb,A-3\n'
        'Plain Co,"https://plain.example.com/cb | https://plain.example.com/other",A-4\n'
    )
    write("quoted_multiline.csv", text.encode("utf-8"))


def aliases_blank_lines():
    # Pipe-separated, alias headers, blank lines and an Excel blank row ("|||").
    text = (
        "\n"
        "Application Name | Callback | Customer ID | Notes\n"
        "\n"
        "Alpha Ltd|https://alpha.example.com/cb|C-01|first\n"
        "|||\n"
        "Beta Ltd|https://beta.example.com/cb|C-02|\n"
        "\n"
        "\n"
        "Gamma Ltd||C-03|no redirect\n"
    )
    write("aliases_blank_lines.csv", text.encode("utf-8"))


def invalid_rows():
    long_name = "X" * 101
    rows = [
        "name,redirectUris,webhookUrl,externalId",
        "Good One,https://good.example.com/cb,,V-1",                      # 2 valid
        ",https://noname.example.com/cb,,V-2",                            # 3 empty name
        f"{long_name},,,V-3",                                              # 4 name too long
        "Plain HTTP,http://insecure.example.com/cb,,V-4",                 # 5 http
        "With Fragment,https://frag.example.com/cb#top,,V-5",             # 6 fragment
        "Bad Hook,,ftp://hooks.example.com,V-6",                          # 7 webhook
        "Too Many,https://many.example.com/cb,,V-7,surprise",             # 8 ragged, extra cell
        "Good One,https://good2.example.com/cb,,V-8",                     # 9 duplicate name: warning
        "Same Id,https://same.example.com/cb,,V-1",                       # 10 duplicate id: skipped
        "Localhost Dev,http://localhost:3000/cb,,V-9",                    # 11 valid
    ]
    write("invalid_rows.csv", ("\n".join(rows) + "\n").encode("utf-8"))


def formulas():
    rows = [
        "name,externalId",
        '"=HYPERLINK(""https://evil.example.com"",""click"")",F-1',
        "+49 Telekom,F-2",
        "-Minus Corp,F-3",
        "@SUM(A1:A2),F-4",
        "Normal Name,=1+2",
    ]
    write("formulas.csv", ("\n".join(rows) + "\n").encode("utf-8"))


def rows_250():
    lines = ["name,redirectUris,externalId"]
    for i in range(1, 251):
        lines.append(f"Reseller Customer {i:03d},https://customer{i:03d}.example.com/callback,R-{i:03d}")
    write("rows_250.csv", ("\n".join(lines) + "\n").encode("utf-8"))


def binary():
    rng = random.Random(5)
    write("binary.csv", bytes(rng.randrange(256) for _ in range(4096)))


def empty():
    write("empty.csv", b"")


def header_only():
    write("header_only.csv", b"name,redirectUris,externalId\r\n")


def no_name_column():
    write("no_name_column.csv", b"Kunde,URL\nAcme,https://acme.example.com/cb\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for make in [german_excel, utf8_bom_cjk, utf16_tab, quoted_multiline, aliases_blank_lines,
                 invalid_rows, formulas, rows_250, binary, empty, header_only, no_name_column]:
        make()
    print("wrote the corpus to", os.path.normpath(OUT))
