"""The electronic seal (电子印章, ADR 0097): authorities' signing keys from configuration, PAdES
signing of the PDFs the portal issues in an authority's name, the register of issued documents
and the verification of an uploaded PDF against the published CA chain.

The core knows no domain app: an authority is a code (``dept:<department code>``,
``legal_aid:<centre code>``, or a generic one) with a display name; domain apps say which
authorities they have through :func:`portal.signing.authorities.add_source` and issue their
documents through :func:`portal.signing.services.issue_document`."""
