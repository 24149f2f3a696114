"""Printed output of the warehouse, in pure Python (no Qt): PDF via ReportLab and ZPL for Zebras.

`labels` renders asset labels (PDF for label rolls and A4 sheets, ZPL II for
Zebra printers, sent to a file or to the printer's raw TCP port);
`command_sheet` renders the sheet of scanner command barcodes for the intake
desk. Certificates, receipts and reports join them here.
"""
