"""Test tables: multilingual rows, CSV text, files on disk, workbooks, one-way streams."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from pim.imports.readers import RowProblem, open_table

HEADER = ["sku", "name", "description"]
POLISH = [
    ["PL-1", "Buty trekkingowe Łódź", "Wygodne, lekkie buty na górskie szlaki; świetna jakość"],
    ["PL-2", "Kurtka zimowa", "Ciepła kurtka z kapturem, żółty kolor, rozmiar średni"],
    ["PL-3", "Źdźbło trawy", "Pięćdziesiąt złotych za sztukę, wysyłka w ciągu doby"],
    ["PL-4", "Zażółć gęślą jaźń", "Ślimak, żaba i ćma - no, prawie: łąka pełna kwiatów"],
]
FRENCH = [
    ["FR-1", "Chaussure à lacets", "Élégante, légère et très résistante à l'eau"],
    ["FR-2", "Crème brûlée", "Déjà prête : une recette traditionnelle, préparée avec soin"],
    ["FR-3", "Veste d'été", "Légère, respirante et imperméable, idéale à la mer"],
    ["FR-4", "Pull en laine", "Tricoté à la main en Bretagne, doux et chaud pour l'hiver"],
]
GREEK = [
    ["GR-1", "Παπούτσι τρεξίματος", "Ελαφρύ και ανθεκτικό παπούτσι για το βουνό"],
    ["GR-2", "Καπέλο", "Ζεστό χειμωνιάτικο καπέλο από μαλλί, χειροποίητο"],
    ["GR-3", "Τσάντα πλάτης", "Πρακτική τσάντα με πολλές θήκες και φερμουάρ"],
]
RUSSIAN = [
    ["RU-1", "Кроссовки для бега", "Лёгкие и прочные кроссовки для горных троп"],
    ["RU-2", "Шапка", "Тёплая зимняя шапка из натуральной шерсти"],
    ["RU-3", "Рюкзак", "Удобный рюкзак с множеством карманов и молний"],
]
EVERYONE = POLISH[:2] + FRENCH[:2] + GREEK[:2] + RUSSIAN[:2] + [
    ["X-1", "日本の靴 👟", "Ελληνικά, русский, polski, français: €12,50"],
]


def csv_text(rows: list[list[str]], delimiter: str = ";", header: list[str] = HEADER) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def read_all(source, **options) -> tuple[list[str], list[tuple[int, dict]], list[RowProblem]]:
    with open_table(source, **options) as table:
        rows = list(table)
        return table.header, rows, table.problems


def write(tmp_path: Path, data: bytes, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def encoded(text: str, encoding: str) -> bytes:
    boms = {"utf-16-le-bom": (codecs.BOM_UTF16_LE, "utf-16-le"),
            "utf-16-be-bom": (codecs.BOM_UTF16_BE, "utf-16-be")}
    if encoding in boms:
        bom, codec = boms[encoding]
        return bom + text.encode(codec)
    return text.encode(encoding)


class OneWayStream(io.RawIOBase):
    """An upload that can be read once, front to back."""

    def __init__(self, data: bytes, name: str) -> None:
        self._data = io.BytesIO(data)
        self.name = name

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def workbook(rows: list[list], title: str = "Products", extra_sheets: tuple = ()):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        book.create_sheet(name).append(["other", "sheet"])
    return book
