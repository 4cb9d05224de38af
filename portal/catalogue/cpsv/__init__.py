"""The public service catalogue as open data in the EU's Core Public Service Vocabulary
Application Profile (CPSV-AP 3.x), JSON-LD under ``/api/cpsv/`` (ADR 0116).

A service item is a ``cpsv:PublicService``, its competent department a ``cv:PublicOrganisation``
covering a ``dct:Location`` (its region), its channels ``cv:Channel``, its materials
``cv:Evidence``, its fee a ``cv:Cost``; domains, kinds, applicants, channels, material sources and
handling lists are ``skos:Concept`` in the portal's own schemes, languages and the currency are
the EU Publications Office's authority tables. The documents are plain dicts (``documents``) with
the ``@context`` inline (``vocab.context``), also served on its own: nothing is fetched from
elsewhere, and the run set needs no RDF library. SEMIC's SHACL shapes check them in
``tests/catalogue/test_cpsv.py``."""
