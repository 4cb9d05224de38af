"""One-thing bundles (一事全办, ADR 0118): the catalogue's items grouped for one life or business
event, applied for with one form (the application itself is the approvals app's)."""
