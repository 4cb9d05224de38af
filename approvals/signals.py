"""What cases announce to the rest of the house.

``case_approved`` is sent after commit when a case is approved (``case``: the case). Proactive
approvals issue the new certificate on it; cases do not know who listens.

``case_handed_over`` is sent after commit when staff hand over in person a result a courier was
to bring (``case``); proactive approvals stop the courier's shipment on it."""

from __future__ import annotations

from django.dispatch import Signal

case_approved = Signal()
case_handed_over = Signal()
