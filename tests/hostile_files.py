"""Independent writers of test inputs: CSV through the csv module, workbooks as plain zip
parts (no spreadsheet library), so the reader is tested on files it did not make."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

HEADER = ["Tahun", "Periode", "Kode Wilayah", "Kabupaten/Kota", "Menu", "Rincian", "Pagu",
          "Realisasi"]


def good_rows(n: int) -> list[list[str]]:
    return [["2024", "Juni 2024", "32.05", "Kab. Garut", "BKB", f"Kegiatan {i}", "1.000.000",
             "500.000"] for i in range(n)]


def write_table(path: Path, title: list[str], header: list[str], rows: list[list[str]]) -> Path:
    """A ``;`` CSV as offices print one: title lines (one cell each), the header, the rows."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        for line in title:
            w.writerow([line])
        w.writerow(header)
        w.writerows(rows)
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([HEADER, *rows])
    return path


_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
       'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
       'worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="Juni" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def sheet_xml(rows: list[list[str]], *, encoding: str = "UTF-8", doctype: str = "") -> str:
    body = []
    for i, row in enumerate(rows, start=1):
        cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row)
        body.append(f'<row r="{i}">{cells}</row>')
    return (f'<?xml version="1.0" encoding="{encoding}" standalone="yes"?>\n{doctype}'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(body)}</sheetData></worksheet>')


def write_xlsx(path: Path, rows: list[list[str]], *, without: str = "",
               sheet_part: bytes | None = None, shared: list[str] | None = None) -> Path:
    """A minimal workbook from plain zip parts (no spreadsheet library involved).

    ``shared``: shared strings (already XML-escaped) for cells written ``t="s"``.
    """
    parts = {"[Content_Types].xml": _CT.encode(), "_rels/.rels": _RELS.encode(),
             "xl/workbook.xml": _WB.encode(), "xl/_rels/workbook.xml.rels": _WB_RELS.encode(),
             "xl/worksheets/sheet1.xml": (sheet_part if sheet_part is not None
                                          else sheet_xml(rows).encode())}
    if shared is not None:
        parts["xl/sharedStrings.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
            f'schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{len(shared)}">'
            + "".join(f"<si><t>{t}</t></si>" for t in shared) + "</sst>").encode()
        parts["xl/_rels/workbook.xml.rels"] = _WB_RELS.replace("</Relationships>", (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        )).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if name != without:
                zf.writestr(name, data)
    return path
