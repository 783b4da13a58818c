#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The 余额调节表 workbook (recon-statement --xlsx) read back with openpyxl: its figures are the
JSON's to the minor unit, its totals are formulas, every outstanding item is listed."""
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal

try:
    import openpyxl
except ImportError:
    # another Python first on PATH (pyenv, a venv): Debian's has python3-openpyxl
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    print("openpyxl is not installed (Debian: python3-openpyxl); skipping")
    sys.exit(77)

TREASURY = os.environ.get("TREASURY_BIN")
if not TREASURY:
    print("TREASURY_BIN is not set")
    sys.exit(1)

STATEMENT = (
    "账号:,6222001\r\n币种:,CNY\r\n起止日期:,2026-03-01 至 2026-03-31\r\n"
    "交易日期,交易流水号,摘要,借方发生额,贷方发生额,余额,对方户名,对方账号\r\n"
    "2026-03-03,R001,PAYMENT FOR INV 2026 004512,,12345.00,13345.00,上海华东电子材料有限公司,\r\n"
    "2026-03-05,R002,电费 E2E0000012345,5000.00,,8345.00,深圳供电局有限公司,\r\n"
    "2026-03-16,R008,货款 INV-2026-000900,,9985.00,18330.00,ACME TRADING LTD,\r\n"
    "2026-03-20,R006,手续费,15.00,,18315.00,,\r\n"
    "2026-03-25,R007,货款,,7777.00,26092.00,某某贸易有限公司,\r\n"
    "合计,,,,,,,\r\n")
BOOK = (
    "id,account,date,amount,currency,counterparty,counterparty_account,reference,memo\n"
    "J1,6222001,2026-03-02,12345.00,CNY,华东电子材料,,INV-2026-004512,货款\n"
    "J2,6222001,2026-03-05,-5000.00,CNY,深圳供电局,,E2E0000012345,电费\n"
    "J6,6222001,2026-03-25,7777.00,CNY,另一家公司,,,look-alike\n"
    "J7,6222001,2026-03-31,-300.00,CNY,某供应商,,,暂估\n"
    "J8,6222001,2026-03-15,10000.00,CNY,ACME,,INV-2026-000900,\n")


def run(db, *args):
    r = subprocess.run([TREASURY, "--db", db, *args], capture_output=True, text=True)
    if r.returncode != 0:
        print("treasury", " ".join(args), "failed:", r.stderr)
        sys.exit(1)
    return r.stdout


def number(cell):
    """A cell's value as an exact 2-decimal Decimal (the workbook stores doubles)."""
    return Decimal(repr(cell)).quantize(Decimal("0.01"))


def main():
    failures = 0
    passes = 0

    def check(ok, what):
        nonlocal failures, passes
        print(("ok" if ok else "FAIL") + ": " + what)
        if ok:
            passes += 1
        else:
            failures += 1

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "t.db")
        for name, text in (("icbc.csv", STATEMENT), ("book.csv", BOOK)):
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        run(db, "init")
        run(db, "org", "add", "HX", "--name", "华夏")
        run(db, "bank", "add", "ICBC", "--name", "工行")
        run(db, "account", "add", "6222001", "--org", "HX", "--bank", "ICBC", "--currency", "CNY",
            "--name", "集团本部基本户")
        run(db, "import", os.path.join(tmp, "icbc.csv"), "--account", "6222001")
        run(db, "book", "import", os.path.join(tmp, "book.csv"))
        run(db, "book", "opening", "6222001", "1000.00", "--date", "2026-03-01")
        run(db, "reconcile")
        xlsx = os.path.join(tmp, "r.xlsx")
        st = json.loads(run(db, "recon-statement", "--account", "6222001", "--date", "2026-03-31",
                            "--json", "--xlsx", xlsx))

        values = openpyxl.load_workbook(xlsx, data_only=True).active
        formulas = openpyxl.load_workbook(xlsx, data_only=False).active
        cells = {}
        for row in values.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    cells.setdefault(c.value, c)

        def right_of(label, column):
            c = cells.get(label)
            check(c is not None, "label " + label)
            return None if c is None else values.cell(row=c.row, column=column)

        check(values["A1"].value == "Balance Reconciliation Statement", "title")
        check(values["B2"].value == "6222001", "account")
        check(values["D2"].value == "集团本部基本户", "account name")
        check(values["B4"].value == "2026-03-31", "date")
        check(number(right_of("Balance per book", 2).value) == Decimal(st["book_balance"]),
              "book balance " + st["book_balance"])
        check(number(right_of("Balance per bank statement", 5).value) == Decimal(st["bank_balance"]),
              "bank balance " + st["bank_balance"])
        adj_book = right_of("Adjusted book balance", 2)
        adj_bank = right_of("Adjusted bank balance", 5)
        check(number(adj_book.value) == Decimal(st["adjusted_book_balance"]), "adjusted book balance")
        check(number(adj_bank.value) == Decimal(st["adjusted_bank_balance"]), "adjusted bank balance")
        check(str(formulas.cell(row=adj_book.row, column=2).value).startswith("="), "adjusted book is a formula")
        check(str(formulas.cell(row=adj_bank.row, column=5).value).startswith("="), "adjusted bank is a formula")
        check(right_of("Balanced", 2).value == "Yes" and st["balanced"], "balanced")
        charges = right_of("Less: bank charges", 2)
        check(number(charges.value) == -sum(Decimal(c["amount"]) for c in st["charges"]), "charges")
        check(number(right_of("Less: bank debits not in the book", 2).value) ==
              -sum(Decimal(i["amount"]) for i in st["bank_debits_not_in_book"]), "bank debits not in book")
        check(number(right_of("Add: book credits not at the bank", 5).value) ==
              sum(Decimal(i["amount"]) for i in st["book_credits_not_at_bank"]), "book credits not at bank")
        for key in ("bank_credits_not_in_book", "bank_debits_not_in_book", "book_credits_not_at_bank",
                    "book_debits_not_at_bank"):
            for item in st[key]:
                ref = item.get("bank_ref") or item.get("book_id")
                c = cells.get(ref)
                check(c is not None and number(values.cell(row=c.row, column=5).value) ==
                      abs(Decimal(item["amount"])), key + " lists " + ref)
        # the one conversion to a double is exact for amounts in range
        check(number(1234567890123.45) == Decimal("1234567890123.45"), "double round trip")

    print("%d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


sys.exit(main())
