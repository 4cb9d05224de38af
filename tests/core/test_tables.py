"""Spreadsheet downloads name their file the way browsers read it, like the PDF downloads."""

from portal.tables import csv_response, xlsx_response


def test_csv_download_keeps_a_plain_file_name():
    response = csv_response([["code"], ["A1"]], "village-list.csv")
    assert response["Content-Disposition"] == 'attachment; filename="village-list.csv"'


def test_chinese_file_name_of_a_spreadsheet_is_encoded_for_browsers():
    response = xlsx_response([["编码"], ["A1"]], "统计.xlsx", "统计")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%BB%9F%E8%AE%A1.xlsx"
    )
