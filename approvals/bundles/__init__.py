"""The application for a one-thing bundle (一事全办, ADR 0118): one form, one submission, one case
per item at each competent department, and one progress page."""
