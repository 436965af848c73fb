"""The QR code of a report as a plain module matrix (no drawing), shared by the PDF and the app."""
from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from qrcode.util import MODE_NUMBER, QRData

QUIET_ZONE = 4  # modules of white space every drawer must leave around the symbol


def qr_matrix(digits: str) -> list[list[bool]]:
    """Dark modules (True) of the QR symbol for a digits-only payload, without a quiet zone.

    Error correction level Q, numeric mode, smallest version that fits. The same digits always
    give the same matrix. Callers draw QUIET_ZONE light modules around it.
    """
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError("二维码内容只能是数字")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0)
    code.add_data(QRData(digits, mode=MODE_NUMBER))
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]
