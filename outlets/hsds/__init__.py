"""The outlets as open data in the Open Referral Human Services Data Specification (HSDS 3.x):
``/api/hsds/`` (ADR 0115). Organizations are the outlets' operators and the items' competent
departments, locations the outlets, services the items on the lists in effect, a service at a
location one item on one outlet's list."""
